"""Report queries may go to a read replica (REPORTING_DATABASE_URL), everything else to the
primary. Only code that reads facts for a report marks itself with `reporting_reads`: access
checks, record pages and every write stay on the primary, so a replica's lag never decides who
sees what. Without a reporting database the router answers nothing and all goes to `default`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

REPORTING = "reporting"
_reading_for_reports: ContextVar[bool] = ContextVar("reading_for_reports", default=False)
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def for_reports() -> Iterator[None]:
    token = _reading_for_reports.set(True)
    try:
        yield
    finally:
        _reading_for_reports.reset(token)


def reporting_reads(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with for_reports():
            return function(*args, **kwargs)

    return wrapper


class ReportingRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_for_reports.get() and REPORTING in settings.DATABASES:
            return REPORTING
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPORTING else None
