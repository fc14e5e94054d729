"""Writes to accounts. Each is audited; a change of role or scope is a role change."""

from django.db import transaction

from openips.accounts.models import User
from openips.accounts.roles import SCOPE_FIELDS
from openips.audit.models import AuditAction
from openips.audit.services import changes_between, record

ROLE_FIELDS = ("role", *(f"{field}_id" for field in SCOPE_FIELDS))
TRACKED = ("username", "first_name", "last_name", "email", "is_active", *ROLE_FIELDS)


def snapshot(user: User) -> dict[str, object]:
    return {field: getattr(user, field) for field in TRACKED}


@transaction.atomic
def create_user(actor: User, user: User, password: str) -> User:
    user.set_password(password)
    user.full_clean()
    user.save()
    record(AuditAction.CREATE, actor=actor, obj=user, changes=changes_between({}, snapshot(user)))
    return user


@transaction.atomic
def update_user(actor: User, user: User, before: dict[str, object]) -> User:
    user.full_clean()
    user.save()
    changes = changes_between(before, snapshot(user))
    if any(field in changes for field in ROLE_FIELDS):
        record(AuditAction.ROLE_CHANGE, actor=actor, obj=user, changes=changes)
    elif changes:
        record(AuditAction.UPDATE, actor=actor, obj=user, changes=changes)
    return user
