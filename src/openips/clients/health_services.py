"""Writes of hospital stays and outcome-measure scores entered in the browser: checked by the
models' rules and audited, each in one transaction (core.services). An id is made for each, as
for a contact, so the record exports and re-imports like an imported one."""

from __future__ import annotations

import uuid
from typing import Any

from openips.accounts.models import User
from openips.clients.models import Episode, HospitalStay, MeasureScore, Person
from openips.core import services as core
from openips.organisations.models import Service


def _new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def record_stay(
    actor: User, person: Person, service: Service, data: dict[str, Any]
) -> HospitalStay:
    stay = HospitalStay(service=service, person=person, admission_id=_new_id("H"), **data)
    return core.create(actor, stay)


def change_stay(actor: User, stay: HospitalStay, *, started_from: int, **data: Any) -> HospitalStay:
    """Correct a stay; its earlier values are kept beside the audit event (ADR 0020)."""
    for name, value in data.items():
        setattr(stay, name, value)
    return core.update(actor, stay, started_from=started_from)


def record_score(actor: User, episode: Episode, data: dict[str, Any]) -> MeasureScore:
    score = MeasureScore(service=episode.service, episode=episode, measure_id=_new_id("M"), **data)
    return core.create(actor, score)


def change_score(
    actor: User, record: MeasureScore, *, started_from: int, **data: Any
) -> MeasureScore:
    """Correct a score (`data` holds its fields, `score` among them)."""
    for name, value in data.items():
        setattr(record, name, value)
    return core.update(actor, record, started_from=started_from)
