"""Audited writes shared by every app: create, and update with a version check so that nobody's
edit silently overwrites someone else's. An update or a deletion keeps each changed field's
earlier value beside its audit event (ADR 0020), so every edit in the product has a history."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.forms.models import model_to_dict

from openips.audit.models import AuditAction
from openips.audit.services import changed_fields, keep_earlier, record
from openips.core.formatting import field_label, shown_value
from openips.core.models import Versioned

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Versioned)
# Not part of what a deleted record said: keys, the version, and the records it belongs to.
NOT_CONTENT = {"id", "version", "service", "person", "episode", "job"}


class EditConflict(Exception):
    """Someone else saved the record after this edit started."""

    def __init__(self, current: Versioned) -> None:
        super().__init__("The record changed while you were editing it")
        self.current = current


def snapshot(obj: models.Model) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(obj).items() if k != "version"}


def earlier(obj: models.Model, names: Iterable[str]) -> list[tuple[str, str, str]]:
    model = type(obj)
    return [(name, field_label(model, name), shown_value(obj, name)) for name in names]


@transaction.atomic
def create(actor: AbstractBaseUser, obj: M) -> M:
    obj.full_clean()
    obj.save()
    record(AuditAction.CREATE, actor=actor, obj=obj, fields=changed_fields({}, snapshot(obj)))
    return obj


def _locked(obj: V, started_from: int) -> V:
    # The base manager: a record a default manager hides (a deleted contact) is still a conflict.
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if current.version != started_from:
        raise EditConflict(current)
    return current


@transaction.atomic
def update(actor: AbstractBaseUser, obj: V, *, started_from: int) -> V:
    """Save an edit that began from version `started_from`; EditConflict if it moved on since."""
    current = _locked(obj, started_from)
    obj.full_clean()
    obj.version = started_from + 1
    obj.save()
    if changed := changed_fields(snapshot(current), snapshot(obj)):
        event = record(AuditAction.UPDATE, actor=actor, obj=obj, fields=changed)
        keep_earlier(event, earlier(current, changed))
    return obj


@transaction.atomic
def delete(actor: AbstractBaseUser, obj: V, *, started_from: int, reason: Enum, **marks: Any) -> V:
    """A soft deletion: set `marks` (who, when, why) on a record that began at `started_from`.
    The event names the reason's code; the record's content as it was is kept as earlier values."""
    current = _locked(obj, started_from)
    for name, value in marks.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.version = started_from + 1
    obj.save()
    said = [
        name
        for name, value in snapshot(current).items()
        if name not in NOT_CONTENT | marks.keys() and value not in (None, "")
    ]
    event = record(
        AuditAction.DELETE, actor=actor, obj=obj, fields=marks, details={"reason": reason}
    )
    keep_earlier(event, earlier(current, said))
    return obj
