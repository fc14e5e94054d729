"""The address GOV.UK Notify sends delivery receipts to. Not a page: no session, no sign-in,
no CSRF token; Notify proves itself with the bearer token set in its callback settings."""

from __future__ import annotations

import hmac
import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from openips.messaging.receipts import take_receipt


def _from_notify(request: HttpRequest) -> bool:
    token: str = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "")
    # An empty setting accepts nobody; the comparison takes as long whatever was given.
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _problem(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def receipt(request: HttpRequest) -> JsonResponse:
    if not _from_notify(request):
        return _problem(401, "A bearer token is needed")
    try:
        body: Any = json.loads(request.body)
        notify_id = UUID(str(body["id"]))
        status = str(body["status"])
        completed = body.get("completed_at")
        completed_at = parse_datetime(completed) if isinstance(completed, str) else None
        reference = body.get("reference") or ""
    except (ValueError, KeyError, TypeError):
        return _problem(400, "A receipt needs an id and a status")
    message = take_receipt(notify_id, str(reference), status, completed_at)
    if message is None:
        return _problem(404, "No such notification")
    return JsonResponse({"status": message.status})
