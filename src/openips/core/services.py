"""Audited writes shared by every app: create, and update with a version check so that nobody's
edit silently overwrites someone else's."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.forms.models import model_to_dict

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import changed_fields, record

M = TypeVar("M", bound=models.Model)


class EditConflict(Exception):
    """Someone else saved the record after this edit started."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("The record changed while you were editing it")
        self.current = current


def snapshot(obj: models.Model) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(obj).items() if k != "version"}


@transaction.atomic
def create(actor: User, obj: M) -> M:
    obj.full_clean()
    obj.save()
    record(AuditAction.CREATE, actor=actor, obj=obj, fields=changed_fields({}, snapshot(obj)))
    return obj


@transaction.atomic
def update(actor: User, obj: M, *, started_from: int) -> M:
    """Save an edit that began from version `started_from`; EditConflict if it moved on since."""
    model = type(obj)
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    if current.version != started_from:  # type: ignore[attr-defined]
        raise EditConflict(current)
    obj.full_clean()
    obj.version = started_from + 1  # type: ignore[attr-defined]
    obj.save()
    if changed := changed_fields(snapshot(current), snapshot(obj)):
        record(AuditAction.UPDATE, actor=actor, obj=obj, fields=changed)
    return obj
