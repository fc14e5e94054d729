"""The interchange format, version 1, as data: the tables in the order they are imported, and
each column's type, codes and whether it is required."""

from __future__ import annotations

from dataclasses import dataclass

from openips.casework.codes import ContactWith, Mode, Purpose, Setting
from openips.clients.codes import (
    ContactMethod,
    DischargeReason,
    EmploymentStatus,
    Ethnicity,
    Gender,
    MeasureCode,
    ReferralSource,
    StaySetting,
)
from openips.employment.codes import EndReason
from openips.organisations.models import StaffRole

TEXT, DATE, BOOL, DECIMAL, INTEGER, CODE, NHS_NUMBER = (
    "text",
    "date",
    "bool",
    "decimal",
    "integer",
    "code",
    "nhs_number",
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    codes: tuple[str, ...] = ()


def code(name: str, values: list[str], required: bool = False) -> Column:
    return Column(name, CODE, required, tuple(values))


TABLES: dict[str, tuple[Column, ...]] = {
    "staff": (
        Column("staff_id", required=True),
        Column("name", required=True),
        code("role", StaffRole.values, required=True),
        Column("fte", DECIMAL),
        Column("start_date", DATE),
        Column("end_date", DATE),
    ),
    "employers": (
        Column("employer_id", required=True),
        Column("name", required=True),
        Column("sector"),
        Column("postcode_district"),
    ),
    "episodes": (
        Column("episode_id", required=True),
        Column("client_id", required=True),
        Column("nhs_number", NHS_NUMBER),
        Column("date_of_birth", DATE),
        code("gender", Gender.values),
        code("ethnicity", Ethnicity.values),
        Column("referral_date", DATE, required=True),
        code("referral_source", ReferralSource.values, required=True),
        code("employment_status_at_referral", EmploymentStatus.values, required=True),
        Column("accepted_date", DATE),
        Column("employment_specialist"),
        Column("clinical_team"),
        Column("vocational_profile_date", DATE),
        Column("discharge_date", DATE),
        code("discharge_reason", DischargeReason.values),
        # How to reach the client: optional, and a file without them still imports.
        Column("phone"),
        Column("email"),
        Column("address"),
        Column("postcode"),
        code("preferred_contact", ContactMethod.values),
        Column("message_consent", BOOL),
    ),
    "contacts": (
        Column("contact_id", required=True),
        Column("date", DATE, required=True),
        Column("staff_id", required=True),
        code("contact_with", ContactWith.values, required=True),
        Column("episode_id"),
        Column("employer_id"),
        code("mode", Mode.values, required=True),
        code("setting", Setting.values),
        Column("minutes", INTEGER),
        code("purpose", Purpose.values, required=True),
        Column("attended", BOOL),
        Column("matches_preferences", BOOL),
    ),
    "jobs": (
        Column("job_id", required=True),
        Column("episode_id", required=True),
        Column("employer_id"),
        Column("job_title", required=True),
        Column("job_type"),
        Column("start_date", DATE, required=True),
        Column("start_confirmed", BOOL),
        Column("end_date", DATE),
        code("end_reason", EndReason.values),
        Column("hours_per_week", DECIMAL),
        Column("hourly_pay", DECIMAL),
        Column("competitive", BOOL, required=True),
        Column("permanent", BOOL),
    ),
    # Hospital stays and outcome-measure scores, as the clinical record holds them.
    "admissions": (
        Column("admission_id", required=True),
        Column("client_id", required=True),
        Column("admission_date", DATE, required=True),
        Column("discharge_date", DATE),
        code("setting", StaySetting.values, required=True),
    ),
    "measures": (
        Column("measure_id", required=True),
        Column("episode_id", required=True),
        code("measure", MeasureCode.values, required=True),
        Column("date", DATE, required=True),
        Column("score", DECIMAL, required=True),
    ),
}
KEYS = {
    "staff": "staff_id",
    "employers": "employer_id",
    "episodes": "episode_id",
    "contacts": "contact_id",
    "jobs": "job_id",
    "admissions": "admission_id",
    "measures": "measure_id",
}
