"""Personal API tokens: created and revoked by their owner, stored hashed, audited."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from openips.accounts.models import ApiToken, User
from openips.audit.models import AuditAction
from openips.audit.services import record


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    token = f"oips_{secrets.token_urlsafe(32)}"
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:8], token_hash=_hash(token)
    )
    record(AuditAction.CREATE, actor=user, obj=api_token)
    return api_token, token


@transaction.atomic
def revoke_token(user: User, api_token: ApiToken) -> None:
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    record(AuditAction.UPDATE, actor=user, obj=api_token, fields=["revoked_at"])


def user_for(token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
