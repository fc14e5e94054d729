"""The one way to write to the audit trail. Services call `record` inside their transaction.

An event says who did what to which record, and which fields changed: never the values. Names,
dates of birth and notes stay in the records themselves, so anonymising a person leaves nothing
identifying in the trail (ADR 0017). The audit app knows no domain models: it finds the person
and service an object belongs to by the attributes every personal-data model has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from openips.audit.context import RequestContext, current
from openips.audit.models import AuditAction, AuditEvent, EarlierValue


class Code(str):
    """A string the caller vouches is a code (a quarter, a format), not something a person typed."""


# What a detail may hold: counts, flags, dates and codes (enum members or Code). Plain strings
# are refused, so free text cannot reach the trail by accident.
Detail = int | float | bool | None | date | Enum | Code | list[Any] | dict[str, Any]


def record(
    action: AuditAction,
    *,
    actor: AbstractBaseUser | None,
    obj: models.Model | None = None,
    person_id: int | None = None,
    service_id: int | None = None,
    fields: Iterable[str] = (),
    details: Mapping[str, Detail] | None = None,
    actor_label: str = "",
    context: RequestContext | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        **_event(action, actor, obj, person_id, service_id, fields, details, actor_label, context)
    )


def keep_earlier(event: AuditEvent, values: Iterable[tuple[str, str, str]]) -> None:
    """Keep (field, label, value as shown) beside the event: erasable, unlike the event."""
    EarlierValue.objects.bulk_create(
        EarlierValue(event=event, field=name, label=label, value=value)
        for name, label, value in values
    )


def forget_earlier_values(person_id: int) -> int:
    """Anonymisation: delete every earlier value of every event about the person."""
    deleted, _ = EarlierValue.objects.filter(event__person_id=person_id).delete()
    return deleted


def record_views(
    actor: AbstractBaseUser,
    objects: Iterable[models.Model],
    *,
    details: Mapping[str, Detail] | None = None,
) -> None:
    """One view event per person touched by a list read (an API page, say), in one query."""
    seen: set[int | None] = set()
    events = []
    for obj in objects:
        person_id, service_id = subject_of(obj)
        if person_id is None or person_id in seen:
            continue
        seen.add(person_id)
        events.append(
            AuditEvent(
                **_event(AuditAction.VIEW, actor, obj, person_id, service_id, (), details, "", None)
            )
        )
    AuditEvent.objects.bulk_create(events)


def _event(
    action: AuditAction,
    actor: AbstractBaseUser | None,
    obj: models.Model | None,
    person_id: int | None,
    service_id: int | None,
    fields: Iterable[str],
    details: Mapping[str, Detail] | None,
    actor_label: str,
    context: RequestContext | None,
) -> dict[str, Any]:
    ctx = context or current.get()
    if obj is not None:
        found_person, found_service = subject_of(obj)
        person_id = person_id or found_person
        service_id = service_id or found_service
    changes: dict[str, Any] = {key: _safe(key, value) for key, value in (details or {}).items()}
    if names := sorted(set(fields)):
        changes["fields"] = names
    signed_in = actor is not None and actor.pk
    return {
        "actor": actor if signed_in else None,
        "actor_label": (actor.get_username() if signed_in and actor else actor_label)[:150],
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_label": label_of(obj),
        "person_id": person_id,
        "service_id": service_id,
        "changes": changes,
        "ip_address": ctx.ip_address,
        "user_agent": ctx.user_agent,
        "path": ctx.path,
    }


def label_of(obj: models.Model | None) -> str:
    """The kind of record, never its content: "Contact", "Person"."""
    return str(obj._meta.verbose_name).capitalize() if obj is not None else ""


def subject_of(obj: models.Model) -> tuple[int | None, int | None]:
    """The person and service a record is about: a person, or a record that leads to one through
    its relations (an episode's person, a contact's episode, a job change's job). Any new kind of
    record about a person (a message, say) is found the same way, without being listed here."""
    if obj._meta.label_lower == PERSON:
        return obj.pk, getattr(obj, "service_id", None)
    service_id = getattr(obj, "service_id", None)
    for name in _paths_to_person(obj._meta.model):  # a lazy request.user is not its type
        if name == "person":
            person_id = getattr(obj, "person_id", None)
            if person_id is not None:
                return int(person_id), service_id
            continue
        parent = getattr(obj, name)
        if parent is not None:
            person_id, parent_service = subject_of(parent)
            if person_id is not None:
                return person_id, service_id or parent_service
    person_id = getattr(obj, "person_id", None)  # a property, as on a benefits estimate
    return (int(person_id) if person_id is not None else None), service_id


PERSON = "clients.person"
_PREFERRED = ("person", "episode", "job", "contact")


def _points_on(field: Any) -> bool:
    """A field of the model's own that names another record: a foreign key, or a one-to-one
    field (a FHIR referral's episode, an appointment's contact). Not a relation back to it."""
    return bool((field.many_to_one or field.one_to_one) and field.concrete and field.related_model)


@cache
def _paths_to_person(model: type[models.Model]) -> tuple[str, ...]:
    """The names of the model's foreign keys and one-to-one fields that lead to a person,
    nearest first."""
    found = [
        f.name
        for f in model._meta.get_fields()
        if _points_on(f) and _leads_to_person(f.related_model, frozenset({model._meta.label_lower}))
    ]
    return tuple(sorted(found, key=lambda n: _PREFERRED.index(n) if n in _PREFERRED else 99))


def _leads_to_person(model: Any, seen: frozenset[str]) -> bool:
    label = model._meta.label_lower
    if label == PERSON:
        return True
    if label in seen:
        return False
    return any(
        _points_on(f) and _leads_to_person(f.related_model, seen | {label})
        for f in model._meta.get_fields()
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The names of the fields whose values differ: what the trail records of an edit."""
    return sorted(key for key, value in after.items() if before.get(key) != value)


def _safe(key: str, value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_safe(key, v) for v in value]
    if isinstance(value, dict):
        return {str(k): _safe(key, v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float):
        return value
    raise TypeError(f"Audit detail {key!r} must be a count, flag, date or code, not free text")
