"""How one parsed interchange row becomes a record's fields: shared by the folder import and the
API, so both store exactly the same thing for the same row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from openips.casework.models import Contact
from openips.clients.models import Episode, HospitalStay, MeasureScore, Person
from openips.employment.models import Employer, Job
from openips.organisations.models import ClinicalTeam, StaffMember

# The models the format's tables are stored in: each belongs to a service and is versioned.
Record = StaffMember | Employer | Episode | Contact | Job | HospitalStay | MeasureScore
MODELS: dict[str, type[Record]] = {
    "staff": StaffMember,
    "employers": Employer,
    "episodes": Episode,
    "contacts": Contact,
    "jobs": Job,
    "admissions": HospitalStay,
    "measures": MeasureScore,
}
CONTACT_FIELDS = ("phone", "email", "address", "postcode", "preferred_contact", "message_consent")
PERSON_FIELDS = ("nhs_number", "date_of_birth", "gender", "ethnicity", *CONTACT_FIELDS)
# Columns kept on another model than their table's, or naming another table's record by its id.
STORED_ON: dict[tuple[str, str], tuple[type[models.Model], str]] = {
    **{("episodes", name): (Person, name) for name in ("client_id", *PERSON_FIELDS)},
    ("episodes", "clinical_team"): (ClinicalTeam, "name"),
    ("episodes", "employment_specialist"): (StaffMember, "staff_id"),
    ("contacts", "staff_id"): (StaffMember, "staff_id"),
    ("contacts", "episode_id"): (Episode, "episode_id"),
    ("contacts", "employer_id"): (Employer, "employer_id"),
    ("jobs", "episode_id"): (Episode, "episode_id"),
    ("jobs", "employer_id"): (Employer, "employer_id"),
    ("admissions", "client_id"): (Person, "client_id"),
    ("measures", "episode_id"): (Episode, "episode_id"),
}


@dataclass
class Refs:
    """The service's records by their interchange ids, for the references a row makes."""

    staff: Mapping[str, StaffMember] = field(default_factory=dict)
    employers: Mapping[str, Employer] = field(default_factory=dict)
    episodes: Mapping[str, Episode] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, ClinicalTeam] = field(default_factory=dict)


def model_field(table: str, column: str) -> models.Field[Any, Any]:
    """The model field whose rules (core.rules, lengths, number sizes) a column's value keeps."""
    model, name = STORED_ON.get((table, column), (MODELS[table], column))
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{table}.{column} is not stored in a field")
    return field


def _pk(mapping: Mapping[str, models.Model], key: str | None) -> int | None:
    return mapping[key].pk if key else None


def person_fields(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "nhs_number": v["nhs_number"] or "",
        "date_of_birth": v["date_of_birth"],
        "gender": v["gender"] or "",
        "ethnicity": v["ethnicity"] or "",
        **{name: v.get(name) or "" for name in CONTACT_FIELDS if name != "message_consent"},
        "message_consent": v.get("message_consent"),
    }


def kept_identifiers(person: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The person's demographics after an episode row: a value given replaces the one held, a
    blank never erases one (a row that leaves a column out must not wipe an NHS number)."""
    return {k: v if v not in ("", None) else getattr(person, k) for k, v in given.items()}


def record_fields(table: str, v: dict[str, Any], refs: Refs) -> dict[str, Any]:
    """The model fields for a row of `table` (everything but the service and the row's id)."""
    match table:
        case "staff":
            return {
                "name": v["name"],
                "role": v["role"],
                "fte": v["fte"],
                "start_date": v["start_date"],
                "end_date": v["end_date"],
            }
        case "employers":
            return {
                "name": v["name"],
                "sector": v["sector"] or "",
                "postcode_district": v["postcode_district"] or "",
            }
        case "episodes":
            return {
                "person_id": refs.people[v["client_id"]].pk,
                "referral_date": v["referral_date"],
                "referral_source": v["referral_source"],
                "employment_status_at_referral": v["employment_status_at_referral"],
                "accepted_date": v["accepted_date"],
                "employment_specialist_id": _pk(refs.staff, v["employment_specialist"]),
                "clinical_team_id": _pk(refs.teams, v["clinical_team"]),
                "vocational_profile_date": v["vocational_profile_date"],
                "discharge_date": v["discharge_date"],
                "discharge_reason": v["discharge_reason"] or "",
            }
        case "contacts":
            return {
                "date": v["date"],
                "staff_id": _pk(refs.staff, v["staff_id"]),
                "contact_with": v["contact_with"],
                "episode_id": _pk(refs.episodes, v["episode_id"]),
                "employer_id": _pk(refs.employers, v["employer_id"]),
                "mode": v["mode"],
                "setting": v["setting"] or "",
                "minutes": v["minutes"],
                "purpose": v["purpose"],
                "attended": v["attended"] is not False,
                "matches_preferences": v["matches_preferences"],
            }
        case "jobs":
            return {
                "episode_id": _pk(refs.episodes, v["episode_id"]),
                "employer_id": _pk(refs.employers, v["employer_id"]),
                "job_title": v["job_title"],
                "job_type": v["job_type"] or "",
                "start_date": v["start_date"],
                "start_confirmed": v["start_confirmed"] is not False,
                "end_date": v["end_date"],
                "end_reason": v["end_reason"] or "",
                "hours_per_week": v["hours_per_week"],
                "hourly_pay": v["hourly_pay"],
                "competitive": v["competitive"],
                "permanent": v["permanent"],
            }
        case "admissions":
            return {
                "person_id": refs.people[v["client_id"]].pk,
                "admission_date": v["admission_date"],
                "discharge_date": v["discharge_date"],
                "setting": v["setting"],
            }
        case "measures":
            return {
                "episode_id": _pk(refs.episodes, v["episode_id"]),
                "measure": v["measure"],
                "date": v["date"],
                "score": v["score"],
            }
    raise KeyError(table)
