"""What subject access gives of each kind of record, as allow-lists: the page and the file show
exactly these fields. Every field of each model is either held here or left out with its reason,
and tests/governance/test_held_fields.py fails on a field that is neither, so a new field cannot
silently drop out of what a person is given. Contacts and jobs hold the interchange columns
(what an export writes) that are their own fields, so the two lists cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models

from openips.benefits.models import Estimate
from openips.casework.models import (
    PROFILE_SECTIONS,
    Appointment,
    Contact,
    Intervention,
    VocationalProfile,
)
from openips.clients.models import (
    PERSON_DETAILS,
    Episode,
    Handover,
    HospitalStay,
    MeasureScore,
    Person,
    RetentionChange,
)
from openips.employment.models import EmploymentRecord, Job, JobChange
from openips.employment.presenters import ANSWERS
from openips.interchange.schema import TABLES
from openips.messaging.models import Message


def exported(table: str, model: type[models.Model]) -> list[str]:
    """The columns of an interchange table that are the model's own fields, in the file's order."""
    own = {f.name for f in model._meta.concrete_fields}
    return [c.name for c in TABLES[table] if c.name in own]


PERSON = ["client_id", *PERSON_DETAILS, "messages_stopped_at"]
EPISODE = [
    "episode_id",
    "referral_date",
    "referral_source",
    "employment_status_at_referral",
    "accepted_date",
    "employment_specialist",
    "clinical_team",
    "care_coordinator",
    "consent_to_share_with_employers",
    "vocational_profile_date",
    "discharge_date",
    "discharge_reason",
]
CONTACT = [*exported("contacts", Contact), "employer", "staff", "notes"]
JOB = [*exported("jobs", Job), "employer"]
JOB_CHANGE = ["effective_date", "hours_per_week", "hourly_pay", "start_confirmed"]
PROFILE = ["version", "recorded_at", *PROFILE_SECTIONS]
INTERVENTION = ["kind", "description", "start_date", "end_date"]
ESTIMATE = ["tax_year", "scenario", "income_now", "income_in_work"]
HANDOVER = ["handed_over_at", "from_staff", "to_staff"]
RETENTION_CHANGE = ["date", "status", "recorded_at"]
APPOINTMENT = ["date", "time", "place", "mode", "purpose", "status", "staff"]
EMPLOYMENT_RECORD = ["moment", "recorded_on", *ANSWERS, "recorded_at"]
STAY = exported("admissions", HospitalStay)
SCORE = exported("measures", MeasureScore)
MESSAGE = [
    "purpose",
    "channel",
    "to",
    "personalisation",
    "status",
    "reason",
    "created_at",
    "sent_at",
    "completed_at",
]

KEY = "a database key, meaningless to the person"
VERSION = "the edit counter of the version check"
SERVICE = "the service is named once, at the top"
UNDER = "the record it is listed under"
HELD: dict[type[models.Model], list[str]] = {
    Person: PERSON,
    Episode: EPISODE,
    Contact: CONTACT,
    Job: JOB,
    JobChange: JOB_CHANGE,
    VocationalProfile: PROFILE,
    Intervention: INTERVENTION,
    Estimate: ESTIMATE,
    Handover: HANDOVER,
    RetentionChange: RETENTION_CHANGE,
    Appointment: APPOINTMENT,
    Message: MESSAGE,
    EmploymentRecord: EMPLOYMENT_RECORD,
    HospitalStay: STAY,
    MeasureScore: SCORE,
}
LEFT_OUT: dict[type[models.Model], dict[str, str]] = {
    Person: {
        "id": KEY,
        "version": VERSION,
        "service": SERVICE,
        "organisation": SERVICE,
        "merged_into": "a merged record's details are given beside the kept one",
        "messages_stopped_by": "a staff account, not about the person",
    },
    Episode: {"id": KEY, "version": VERSION, "service": SERVICE, "person": UNDER},
    Contact: {
        "id": KEY,
        "version": VERSION,
        "service": SERVICE,
        "episode": UNDER,
        "deleted_at": "given as one line: when, by whom and why it was deleted",
        "deleted_by": "given as one line: when, by whom and why it was deleted",
        "deletion_reason": "given as one line: when, by whom and why it was deleted",
        "deletion_note": "given as one line: when, by whom and why it was deleted",
    },
    Job: {"id": KEY, "version": VERSION, "service": SERVICE, "episode": UNDER},
    JobChange: {"id": KEY, "job": UNDER},
    VocationalProfile: {"id": KEY, "episode": UNDER, "recorded_by": "named on the page"},
    Intervention: {"id": KEY, "episode": UNDER},
    Estimate: {
        "id": KEY,
        "episode": UNDER,
        "contact": "the contact it was saved with is listed, and gives its date",
        "created_by": "the contact it was saved with names who recorded it",
        "created_at": "the contact it was saved with gives its date",
    },
    Handover: {"id": KEY, "episode": UNDER, "by": "a staff account, not about the person"},
    RetentionChange: {
        "id": KEY,
        "episode": UNDER,
        "recorded_by": "a staff account, not about the person",
    },
    Appointment: {
        "id": KEY,
        "version": VERSION,
        "service": SERVICE,
        "episode": UNDER,
        "contact": "the contact it became is given with the contacts",
    },
    Message: {
        "id": KEY,
        "service": SERVICE,
        "person": UNDER,
        "user": "set only on a summary to a member of staff, never on a client's message",
        "appointment": "the appointment it reminded of is given, with its date",
        "template_id": "GOV.UK Notify's id for the wording, meaningless to the person",
        "key": "what stops a second copy being sent, meaningless to the person",
        "notify_id": "GOV.UK Notify's id for the message, meaningless to the person",
        "attempts": "how many calls to GOV.UK Notify sending it took",
        "updated_at": "when the row last changed; the times that matter are given",
    },
    EmploymentRecord: {
        "id": KEY,
        "version": VERSION,
        "episode": UNDER,
        "recorded_by": "a staff account; who recorded or corrected it is in the accesses",
    },
    HospitalStay: {"id": KEY, "version": VERSION, "service": SERVICE, "person": UNDER},
    MeasureScore: {"id": KEY, "version": VERSION, "service": SERVICE, "episode": UNDER},
}


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times in ISO 8601, amounts as exact text, codes as
    codes."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def held_values(obj: models.Model) -> dict[str, Any]:
    """The held fields of a record for the file; a related record as its name."""
    out = {}
    for name in HELD[type(obj)]:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        out[name] = (str(value) if value is not None else "") if field.is_relation else plain(value)
    return out
