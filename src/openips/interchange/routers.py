"""A background import's progress goes to the `progress` database (ADR 0027): a connection of
its own, so the figures are written outside the import's transaction and every app server reads
them while it runs. On PostgreSQL that database is the main one; on SQLite it is a file beside
it, as an import holds SQLite's one write lock until it commits."""

from __future__ import annotations

from typing import Any

from django.db import connections

PROGRESS = "progress"
MODEL = "interchange.importprogress"


def separate() -> bool:
    """Whether the progress database is a file of its own (SQLite) or the main database."""
    return connections["default"].vendor == "sqlite"


class ProgressRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return PROGRESS if model._meta.label_lower == MODEL else None

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if f"{app_label}.{model_name}" == MODEL:
            return db == (PROGRESS if separate() else "default")
        if db == PROGRESS and separate():
            return False  # nothing else lives in the progress file
        return None
