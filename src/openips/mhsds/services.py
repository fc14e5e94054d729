"""The NHS settings the extract needs, changed by a service manager and audited."""

from __future__ import annotations

from django.db import transaction

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.organisations.models import Service

ORGANISATION_FIELDS = ("ods_code", "submitter_ods_code")
SERVICE_FIELDS = ("mhsds_team_id",)


@transaction.atomic
def change_settings(actor: User, service: Service, values: dict[str, str]) -> list[str]:
    """Save what changed; returns the names of the fields changed."""
    changed = []
    for target, names in ((service.organisation, ORGANISATION_FIELDS), (service, SERVICE_FIELDS)):
        fields = [n for n in names if getattr(target, n) != values[n]]
        if not fields:
            continue
        for name in fields:
            setattr(target, name, values[name])
        # Only what changed is checked: an older value elsewhere in the record that today's
        # rules would refuse is not this form's to correct.
        others = [f.name for f in target._meta.concrete_fields if f.name not in fields]
        target.full_clean(exclude=others)
        target.save(update_fields=fields)
        record(AuditAction.UPDATE, actor=actor, obj=target, service_id=service.pk, fields=fields)
        changed += fields
    return changed


def missing_settings(service: Service) -> list[str]:
    """What must be set before any extract can be made, worded for the settings page."""
    missing = []
    if not service.organisation.ods_code:
        missing.append("Enter the ODS code of the trust")
    if not service.mhsds_team_id:
        missing.append("Enter the MHSDS team local identifier")
    return missing
