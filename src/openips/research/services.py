"""Setting up a study, naming who may take its extract, and taking it: each audited. A refused
extract is audited too, with the number of combinations too small to give."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.core import services as core
from openips.organisations.models import Service
from openips.research import dictionary
from openips.research.extract import Extract, build
from openips.research.models import Study, StudyAccess


@transaction.atomic
def create_study(actor: User, services: list[Service], **fields: Any) -> Study:
    study = core.create(actor, Study(created_by=actor, **fields))
    study.services.set(services)
    return study


def grant(actor: User, study: Study, user: User, starts: date, ends: date) -> StudyAccess:
    access = StudyAccess(study=study, user=user, starts=starts, ends=ends, granted_by=actor)
    return core.create(actor, access)


def revoke(actor: User, access: StudyAccess) -> StudyAccess:
    access.revoked_at = timezone.now()
    access.revoked_by = actor
    access.save(update_fields=["revoked_at", "revoked_by"])
    record(AuditAction.UPDATE, actor=actor, obj=access, fields=["revoked_at"])
    return access


def take(actor: User, study: Study) -> tuple[Extract, bytes | None]:
    """The extract, and the zip of its files and data dictionary unless it is refused."""
    found = build(study)
    details: dict[str, Any] = {"study": study.pk, "format": Code("research")}
    if found.refused:
        record(
            AuditAction.EXPORT,
            actor=actor,
            obj=study,
            details=details | {"refused": True, "small_combinations": len(found.small)},
        )
        return found, None
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in [*found.files.items(), ("data_dictionary", dictionary.rows(study))]:
            text = io.StringIO()
            csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
            z.writestr(f"{name}.csv", text.getvalue())
    record(AuditAction.EXPORT, actor=actor, obj=study, details=details | {"rows": found.counts()})
    return found, archive.getvalue()
