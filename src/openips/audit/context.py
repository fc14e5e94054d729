"""Where the current request came from, so services can audit without being handed the request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str
    path: str


EMPTY = RequestContext(ip_address=None, user_agent="", path="")
current: ContextVar[RequestContext] = ContextVar("openips_request_context", default=EMPTY)
