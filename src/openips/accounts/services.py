"""Writes to accounts. Each is audited; a change of role or scope is a role change."""

from django.db import transaction

from openips.accounts.models import User
from openips.accounts.roles import SCOPE_FIELDS, Role
from openips.audit.models import AuditAction
from openips.audit.services import changed_fields, record

ROLE_FIELDS = ("role", *(f"{field}_id" for field in SCOPE_FIELDS))
TRACKED = ("username", "first_name", "last_name", "email", "is_active", *ROLE_FIELDS)


def snapshot(user: User) -> dict[str, object]:
    return {field: getattr(user, field) for field in TRACKED}


@transaction.atomic
def create_user(actor: User, user: User, password: str) -> User:
    user.set_password(password)
    user.full_clean()
    user.save()
    record(AuditAction.CREATE, actor=actor, obj=user, fields=changed_fields({}, snapshot(user)))
    return user


@transaction.atomic
def update_user(actor: User, user: User, before: dict[str, object]) -> User:
    user.full_clean()
    user.save()
    changed = changed_fields(before, snapshot(user))
    if any(field in changed for field in ROLE_FIELDS):
        # Roles are codes, not personal data: the trail keeps the old and the new.
        roles = {"role": [Role(str(before["role"])), Role(user.role)]}
        record(AuditAction.ROLE_CHANGE, actor=actor, obj=user, fields=changed, details=roles)
    elif changed:
        record(AuditAction.UPDATE, actor=actor, obj=user, fields=changed)
    return user
