"""Writes to accounts. Each is audited; a change of role or scope is a role change.

Access to people's records is given by two administrators (ADR 0015): a change that would give an
account a role in `roles.needs_approval` (a new role, a new attachment, or switching the account
on) is saved as a pending `RoleGrant`, and the account keeps what it had until an administrator
who neither asked for it nor holds it approves. Taking access away applies at once. Nobody
changes their own role, attachment or whether their account is on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openips.accounts.models import GrantStatus, RoleGrant, User
from openips.accounts.roles import SCOPE_FIELDS, Capability, Role, needs_approval
from openips.audit.models import AuditAction
from openips.audit.services import changed_fields, record
from openips.organisations.models import Organisation

ROLE_FIELDS = ("role", *(f"{field}_id" for field in SCOPE_FIELDS))
ACCESS_FIELDS = (*ROLE_FIELDS, "is_active")
TRACKED = ("username", "first_name", "last_name", "email", "is_active", *ROLE_FIELDS)


class AccessRefused(ValidationError):
    """A change of access that this administrator may not make; the message says why."""


def snapshot(user: User) -> dict[str, object]:
    return {field: getattr(user, field) for field in TRACKED}


def _gives_access(before: dict[str, object], user: User) -> bool:
    """Whether saving `user` as it now is would open records it could not open before."""
    if not (user.is_active and needs_approval(user.role)):
        return False
    return not before.get("is_active") or any(
        before.get(field) != getattr(user, field) for field in ROLE_FIELDS
    )


def _reaches(user: User) -> Organisation | None:
    """The organisation whose records the account's role and attachment open."""
    if user.organisation is not None:
        return user.organisation
    if user.service is not None:
        return user.service.organisation
    if user.clinical_team is not None:
        return user.clinical_team.service.organisation
    return None


def _takes_over(before: dict[str, object], user: User, new_password: str) -> bool:
    """Whether an edit gives someone else the means to sign in as an account that opens records:
    a password, or the username or email that single sign-on matches on."""
    credentials = new_password or any(
        before.get(field) != getattr(user, field) for field in ("username", "email")
    )
    return bool(credentials and before.get("is_active") and needs_approval(user.role))


def _refuse_own(actor: User, user: User, before: dict[str, object]) -> None:
    if actor.pk == user.pk and any(before.get(f) != getattr(user, f) for f in ACCESS_FIELDS):
        raise AccessRefused(
            "You cannot change your own role, what it is attached to, or switch your own "
            "account on or off. Ask another administrator."
        )


def _withdraw_pending(actor: User, user: User) -> None:
    for grant in RoleGrant.objects.select_for_update().filter(
        user=user, status=GrantStatus.PENDING
    ):
        _decide(actor, grant, GrantStatus.WITHDRAWN, AuditAction.ACCESS_WITHDRAWN)


def _request(actor: User, user: User, before: dict[str, object]) -> RoleGrant:
    """Hold the access `user` now has in memory as a request; `user` is put back as it was."""
    _withdraw_pending(actor, user)
    grant = RoleGrant.objects.create(
        user=user,
        role=user.role,
        **{field: getattr(user, field) for field in SCOPE_FIELDS},
        reaches=_reaches(user),
        requested_by=actor,
    )
    record(
        AuditAction.ACCESS_REQUESTED,
        actor=actor,
        obj=user,
        fields=changed_fields(before, snapshot(user)),
        details={"request": grant.pk, "role": [Role(str(before["role"])), Role(grant.role)]},
    )
    for field in ACCESS_FIELDS:
        setattr(user, field, before[field])
    return grant


def _require_admin(actor: User) -> None:
    if not actor.can(Capability.MANAGE_USERS):
        raise AccessRefused("Only an administrator can change accounts")


@transaction.atomic
def create_user(actor: User, user: User, password: str) -> tuple[User, RoleGrant | None]:
    """A new account with a first password its owner must change. A role that opens records is
    a request: the account stays switched off until another administrator approves it."""
    _require_admin(actor)
    user.set_password(password)
    user.must_change_password = True
    user.full_clean()
    held = needs_approval(user.role)
    user.is_active = not held
    user.save()
    record(AuditAction.CREATE, actor=actor, obj=user, fields=changed_fields({}, snapshot(user)))
    if not held:
        return user, None
    before = snapshot(user)
    user.is_active = True
    return user, _request(actor, user, before)


@transaction.atomic
def update_user(
    actor: User, user: User, before: dict[str, object], new_password: str = ""
) -> RoleGrant | None:
    """Save an administrator's edit. Returns the request it made, if it gives access."""
    _refuse_own(actor, user, before)
    _require_admin(actor)
    user.full_clean()
    grant = _request(actor, user, before) if _gives_access(before, user) else None
    if grant is None and _takes_over(before, user, new_password):
        # New credentials for an account that opens records: whoever set them could sign in
        # as it, so it is switched off until a second administrator switches it back on.
        grant = _request(actor, user, {**before, "is_active": False})
    if new_password:
        _set_password(actor, user, new_password)
    user.save()
    changed = changed_fields(before, snapshot(user))
    if any(field in changed for field in ACCESS_FIELDS):
        if grant is None:  # a change that applies now overtakes a waiting request
            _withdraw_pending(actor, user)
        # Roles are codes, not personal data: the trail keeps the old and the new.
        roles = {"role": [Role(str(before["role"])), Role(user.role)]}
        record(AuditAction.ROLE_CHANGE, actor=actor, obj=user, fields=changed, details=roles)
    elif changed:
        record(AuditAction.UPDATE, actor=actor, obj=user, fields=changed)
    return grant


def _set_password(actor: User, user: User, password: str) -> None:
    if actor.pk == user.pk:
        raise AccessRefused("Change your own password on your account page")
    user.set_password(password)
    user.must_change_password = True
    record(AuditAction.PASSWORD_RESET, actor=actor, obj=user)


@transaction.atomic
def change_own_password(user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(AuditAction.PASSWORD_CHANGE, actor=user, obj=user)


def _close(actor: User, grant: RoleGrant, status: GrantStatus) -> None:
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


def _decide(actor: User, grant: RoleGrant, status: GrantStatus, action: AuditAction) -> None:
    _close(actor, grant, status)
    record(action, actor=actor, obj=grant.user, details={"request": grant.pk, "status": status})


def _pending(actor: User, grant: RoleGrant) -> RoleGrant:
    _require_admin(actor)
    locked = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if locked.status != GrantStatus.PENDING:
        raise AccessRefused("This request has already been decided")
    return locked


@transaction.atomic
def approve(actor: User, grant: RoleGrant) -> User:
    """Give the account the access asked for, and switch it on."""
    grant = _pending(actor, grant)
    if actor.pk == grant.requested_by_id:
        raise AccessRefused("You asked for this change, so another administrator must approve it")
    if actor.pk == grant.user_id:
        raise AccessRefused(
            "This change is to your own account, so another administrator must approve it"
        )
    user = User.objects.select_for_update().get(pk=grant.user_id)
    before = snapshot(user)
    user.role = grant.role
    for field in SCOPE_FIELDS:
        setattr(user, f"{field}_id", getattr(grant, f"{field}_id"))
    user.is_active = True
    user.full_clean()
    user.save()
    _close(actor, grant, GrantStatus.APPROVED)
    record(
        AuditAction.ACCESS_APPROVED,
        actor=actor,
        obj=user,
        fields=changed_fields(before, snapshot(user)),
        details={"request": grant.pk, "role": [Role(str(before["role"])), Role(grant.role)]},
    )
    return user


@transaction.atomic
def refuse(actor: User, grant: RoleGrant) -> None:
    """Turn a request down: the account keeps what it has. Any administrator may, the one who
    asked included (that withdraws it)."""
    _decide(actor, _pending(actor, grant), GrantStatus.REFUSED, AuditAction.ACCESS_REFUSED)
