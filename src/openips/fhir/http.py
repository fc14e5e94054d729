"""What every FHIR endpoint shares: the caller (a personal token, or a signed-in session as on
the REST API), the role check, and answers as `application/fhir+json`, an error always an
OperationOutcome, whatever went wrong."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource

from openips.accounts import tokens
from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.core.params import row_id

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/fhir+json"
ACCEPTED_BODIES = (MEDIA_TYPE, "application/json")
# A referral is a few kilobytes and nests less than ten deep (its patient's identifier's type's
# coding): well past either, a body is no referral, and reading it would only cost time or stack.
MAX_BODY = 64 * 1024
MAX_DEPTH = 32
MAX_ISSUES = 50  # problems listed at once; a sender fixing them will hear of any others


@dataclass(frozen=True)
class Issue:
    """One problem, as an OperationOutcome issue names it: what kind (FHIR's issue-type code),
    in words, and the element it is about (a FHIRPath expression)."""

    code: str
    text: str
    expression: str = ""


class Refused(Exception):
    """An answer other than success: its status and the issues that say why."""

    def __init__(self, status: int, issues: Sequence[Issue]) -> None:
        super().__init__(status, [i.text for i in issues])
        self.status = status
        self.issues = list(issues)


def refused(status: int, code: str, text: str, expression: str = "") -> Refused:
    return Refused(status, [Issue(code, text, expression)])


def outcome(issues: Sequence[Issue]) -> OperationOutcome:
    if len(issues) > MAX_ISSUES:
        more = Issue("too-costly", "Too many problems to list: correct these and send again")
        issues = [*issues[:MAX_ISSUES], more]
    return OperationOutcome.model_validate(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": issue.code,
                    "details": {"text": issue.text},
                    "diagnostics": issue.text,
                    **({"expression": [issue.expression]} if issue.expression else {}),
                }
                for issue in issues
            ],
        }
    )


def answer(resource: Resource, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        resource.model_dump_json(exclude_none=True), status=status, content_type=MEDIA_TYPE
    )
    # Personal data is never left in a cache, whoever asked (a refused token included).
    response["Cache-Control"] = "no-store, private"
    for name, value in headers.items():
        response[name] = value
    return response


def caller(request: HttpRequest, capability: Capability | None) -> User:
    """The signed-in caller whose role has the capability: 401 without one, 403 without it.
    A session's unsafe request needs its CSRF token, as on the REST API; a token's does not."""
    token = tokens.bearer(request.headers.get("Authorization", ""))
    user: Any = None
    if token:
        try:
            user = tokens.user_for(token)
        except tokens.TokenRefused as refusal:
            raise refused(401, "login", str(refusal)) from refusal
    elif request.user.is_authenticated:
        user = request.user
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            check = CsrfViewMiddleware(HttpResponse).process_view(request, HttpResponse, (), {})
            if check is not None:
                raise refused(403, "forbidden", "A signed-in session needs its CSRF token")
    if not isinstance(user, User) or not user.is_active:
        raise refused(401, "login", "Send a personal API token: Authorization: Bearer …")
    request.user = user
    if capability is not None and not user.can(capability):
        raise refused(403, "forbidden", "Your role does not include this")
    return user


def body_of(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent: 415 for another media type, 413 for more than MAX_BODY bytes, 400
    for anything not a JSON object or nested deeper than MAX_DEPTH."""
    media = request.content_type or ""
    if media not in ACCEPTED_BODIES:
        raise refused(415, "not-supported", f"Send the resource as {MEDIA_TYPE}")
    too_big = refused(413, "too-costly", f"The body is larger than {MAX_BODY // 1024} KB")
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and (len(declared) > 9 or int(declared) > MAX_BODY):
        raise too_big  # before a byte of it is read
    try:
        raw = request.body
    except RequestDataTooBig as error:
        raise too_big from error
    if len(raw) > MAX_BODY:
        raise too_big
    too_deep = refused(400, "structure", f"The body is nested more than {MAX_DEPTH} deep")
    try:
        parsed = json.loads(raw)
    except RecursionError as error:  # the decoder's own limit, deeper still
        raise too_deep from error
    except (ValueError, UnicodeDecodeError) as error:
        raise refused(400, "structure", f"The body is not JSON: {error}") from error
    if nested_deeper(parsed, MAX_DEPTH):
        raise too_deep
    if not isinstance(parsed, dict):
        raise refused(400, "structure", "The body must be one JSON object, a FHIR resource")
    return parsed


def nested_deeper(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` deep, found without recursion: the
    models that read a body recurse into it, and run out of stack well before its end."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = list(item.values()) if isinstance(item, dict) else item
        if isinstance(children, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False


def path_id(raw: str) -> int:
    """A resource id of ours: a row's id. Anything else names nothing here."""
    pk = row_id(raw)
    if pk is None:
        raise Http404
    return pk


Handler = Callable[..., HttpResponse]


def endpoint(handlers: dict[str, Handler]) -> Handler:
    """One address of the interface: the handler for the request's method, every failure
    answered as an OperationOutcome (never the HTML error pages)."""

    @csrf_exempt  # a token needs none; caller() checks a session's
    @login_not_required  # 401, not the sign-in page
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        handler = handlers.get(request.method or "")
        allowed = ", ".join(sorted(handlers))
        try:
            if handler is None:
                raise refused(405, "not-supported", f"This address answers {allowed} only")
            return handler(request, **kwargs)
        except Refused as refusal:
            said = {401: {"WWW-Authenticate": "Bearer"}, 405: {"Allow": allowed}}
            return answer(outcome(refusal.issues), refusal.status, **said.get(refusal.status, {}))
        except Http404:
            return answer(outcome([Issue("not-found", "No such resource")]), 404)
        except PermissionDenied:
            return answer(outcome([Issue("forbidden", "Your role does not include this")]), 403)
        except Exception:
            log.exception("FHIR request failed: %s %s", request.method, request.path)
            return answer(outcome([Issue("exception", "Something went wrong on our side")]), 500)

    return view


@csrf_exempt
@login_not_required
def unknown(request: HttpRequest) -> HttpResponse:
    """Anything under the base address that names no resource or interaction served here."""
    issue = Issue("not-supported", "Nothing is served at this address: see /fhir/R4/metadata")
    return answer(outcome([issue]), 404)
