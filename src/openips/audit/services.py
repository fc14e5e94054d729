"""The one way to write to the audit trail. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from openips.audit.context import RequestContext, current
from openips.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from openips.accounts.models import User


def record(
    action: AuditAction,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    person_id: int | None = None,
    service_id: int | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
    context: RequestContext | None = None,
) -> AuditEvent:
    ctx = context or current.get()
    if obj is not None:
        person_id = person_id or _person_id_of(obj)
        service_id = service_id or getattr(obj, "service_id", None)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None and actor.pk else actor_label)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        person_id=person_id,
        service_id=service_id,
        changes=changes or {},
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        path=ctx.path,
    )


def _person_id_of(obj: models.Model) -> int | None:
    from openips.clients.models import Person

    if isinstance(obj, Person):
        return obj.pk
    person_id = getattr(obj, "person_id", None)
    return int(person_id) if person_id is not None else None


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for the fields that differ, as JSON-safe strings."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
