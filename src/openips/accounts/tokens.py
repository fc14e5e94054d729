"""Personal API tokens: created and revoked by their owner, stored hashed, audited.

Each token expires: its owner chooses how many days it lasts, up to API_TOKEN_MAX_DAYS.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openips.accounts.models import ApiToken, User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.core.formatting import format_datetime


class TokenRefused(Exception):
    """A real token that may not be used now; the message says why, for the caller."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValueError(f"A token lasts from 1 to {settings.API_TOKEN_MAX_DAYS} days")
    token = f"oips_{secrets.token_urlsafe(32)}"
    api_token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:8],
        token_hash=_hash(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        AuditAction.CREATE,
        actor=user,
        obj=api_token,
        details={"expires": api_token.expires_at.date()},
    )
    return api_token, token


@transaction.atomic
def revoke_token(user: User, api_token: ApiToken) -> None:
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    record(AuditAction.UPDATE, actor=user, obj=api_token, fields=["revoked_at"])


def bearer(authorization: str) -> str:
    """The token an `Authorization: Bearer …` header carries; "" for any other header."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def user_for(token: str) -> User | None:
    """The active user a live token belongs to; None for a token that is not one (or revoked).
    Raises TokenRefused for an expired token, or one whose owner must first change a password
    an administrator set (the account may have been handed over: ADR 0015)."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    if found.has_expired():
        raise TokenRefused(
            f"This API token expired on {format_datetime(found.expires_at)}. "
            "Create a new one on your account page."
        )
    if found.user.must_change_password:
        raise TokenRefused(
            "Sign in to OpenIPS and change your password before using the API with this token."
        )
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
