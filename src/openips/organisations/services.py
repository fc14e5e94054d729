"""Setting a service's programme from a day on: one row per day, written and audited together."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from openips.audit.models import AuditAction
from openips.audit.services import keep_earlier, record
from openips.core.services import earlier
from openips.organisations import programmes, queries
from openips.organisations.models import Service, ServiceProgramme


class AlreadyInForce(ValueError):
    """The programme asked for is already the service's on that day: nothing to record."""

    def __init__(self, programme: programmes.Programme) -> None:
        super().__init__(f"The service already delivers {programme.name} on that day")
        self.programme = programme


@transaction.atomic
def set_programme(
    actor: AbstractBaseUser, service: Service, code: str, valid_from: date
) -> ServiceProgramme:
    """Record that the service delivers `code` from `valid_from` until its next recorded change.
    A row already on that day is corrected in place, its earlier programme kept beside the
    event (ADR 0020); AlreadyInForce if nothing would change."""
    programmes.rules(code)  # a code the file does not hold is refused here too
    # One change of a service's programmes at a time: two saves for one day cannot both insert.
    Service.objects.select_for_update().filter(pk=service.pk).first()
    current = queries.programme_on(service, valid_from)
    if current.code == code:
        raise AlreadyInForce(current)
    row = ServiceProgramme.objects.filter(service=service, valid_from=valid_from).first()
    if row is None:
        row = ServiceProgramme(service=service, programme=code, valid_from=valid_from)
        action, before = AuditAction.CREATE, None
    else:
        action, before = AuditAction.UPDATE, ServiceProgramme(programme=row.programme)
        row.programme = code
    row.recorded_by = actor if actor.pk else None  # type: ignore[assignment]
    row.recorded_at = timezone.now()
    row.full_clean()
    row.save()
    fields = ["programme", "valid_from"] if before is None else ["programme"]
    event = record(action, actor=actor, obj=row, service_id=service.pk, fields=fields)
    if before is not None:
        keep_earlier(event, earlier(before, ["programme"]))
    return row
