"""What every API router shares: token sign-in, the role check, audited reads and pages.

Callers authenticate with a personal token (`Authorization: Bearer …`) or a signed-in session.
Every endpoint reads through the same scoped queries as the pages, so a record out of scope is
404 here too, and a role without the capability gets 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.params import functions as params
from ninja.security import HttpBearer

from openips.accounts import tokens
from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.audit.models import AuditAction
from openips.audit.services import record, record_views
from openips.core.params import MAX_ID

M = TypeVar("M", bound=models.Model)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        # The header read as the FHIR interface reads it (accounts.tokens.bearer).
        token = tokens.bearer(request.headers.get("Authorization", ""))
        return self.authenticate(request, token) if token else None

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = tokens.user_for(token)
        except tokens.TokenRefused as refused:
            raise HttpError(401, str(refused)) from refused
        if user is not None:
            request.user = user
        return user


def signed_in(request: HttpRequest) -> User:
    """The caller the API's authentication found (ninja sets `request.auth`, which Django's
    request does not declare): a token's owner, or the session's user. Ninja runs every
    endpoint only once it has one."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "Unauthorized")
    return user


def caller(request: HttpRequest, capability: Capability) -> User:
    user = signed_in(request)
    if not user.can(capability):
        raise HttpError(403, "Your role does not include this")
    return user


# The audit of API reads, in one place: a page is one view event per person on it, a single
# record one view event, as the record's own page records.


class Page(LimitOffsetPagination):
    """Limit and offset within bounds, so a huge number is a 422, not a database overflow.
    Every page of personal records read is on the audit trail of each person on it."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=100_000_000)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = items = list(page[self.items_attribute])
        record_views(signed_in(request), items)
        return page


def viewed(request: HttpRequest, obj: M) -> M:
    """A single record read through the API, on the audit trail of the person it is about."""
    record(AuditAction.VIEW, actor=signed_in(request), obj=obj)
    return obj


class Problem(Schema):
    detail: str


class InputProblem(Schema):
    detail: list[dict[str, Any]]


def responses(ok: Any, status: int = 200, *, edits: bool = False) -> dict[int, Any]:
    """Every status an endpoint can answer, so the schema documents them all. An edit can also
    meet a newer version than the one it started from (409)."""
    answers = {status: ok, 401: Problem, 403: Problem, 404: Problem, 422: InputProblem}
    return answers | ({409: Problem} if edits else {})


def record_id() -> Any:
    """A path id within the range ids can take, so an absurd one is a 422, not a database error."""
    return params.Path(..., ge=1, le=MAX_ID)
