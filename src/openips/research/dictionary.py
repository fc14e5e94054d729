"""The data dictionary that travels with every research extract: each file's columns and what
they hold. The extract writes exactly these columns, in this order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openips.research.models import Study

DAYS = "days from the episode's acceptance (negative before it); empty if none"
PERSON = "the person's pseudonym: the same in every file and every episode of this study"
EPISODE = "the episode's pseudonym"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


COLUMNS: dict[str, tuple[Column, ...]] = {
    "episodes": (
        Column("person", PERSON),
        Column("episode", EPISODE),
        Column("service", "the IPS service's code"),
        Column(
            "programme",
            "the programme the service delivered: ips_smi, ips_primary_care or "
            "talking_therapies_employment",
        ),
        Column("acceptance_month", "the month of acceptance onto the caseload, YYYY-MM"),
        Column("referral_day", f"the referral, in {DAYS}"),
        Column("vocational_profile_day", f"the start of the vocational profile, in {DAYS}"),
        Column("discharge_day", f"the discharge, in {DAYS}"),
        Column(
            "discharge_reason",
            "code: moved_on_in_work, no_longer_wants_work, disengaged, moved_away, transferred, "
            "declined_before_engagement, other",
        ),
        Column(
            "referral_source",
            "code: secondary_mental_health, primary_care, talking_therapies, self, dwp, other",
        ),
        Column(
            "employment_status_at_referral", "code: unemployed, economically_inactive, employed"
        ),
        Column(
            "age_band",
            "age at acceptance: 16 to 34, 35 to 49, 50 and over, or not recorded",
        ),
        Column("gender", "code: female, male, non_binary, other, not_stated, or not recorded"),
        Column("ethnicity", "code: asian, black, mixed, white, other, not_stated, or not recorded"),
    ),
    "jobs": (
        Column("person", PERSON),
        Column("episode", EPISODE),
        Column("start_day", f"the first day of work, in {DAYS}"),
        Column("end_day", f"the last day of work, in {DAYS}; empty while the job goes on"),
        Column("start_confirmed", "yes once 4 paid hours were worked: only then a job start"),
        Column("end_reason", "code: resigned, dismissed, contract_ended, laid_off, other"),
        Column("hours_per_week", "contracted or usual hours a week, at the start"),
        Column("hourly_pay", "gross pounds an hour, at the start"),
        Column(
            "competitive",
            "yes: open to anyone, at least minimum wage, not set aside or time-limited",
        ),
        Column(
            "permanent",
            "yes for a permanent contract, no for temporary or seasonal; empty if not recorded",
        ),
        Column("job_type", "SOC 2020 unit group, 4 digits; empty if not recorded"),
    ),
    "measures": (
        Column("person", PERSON),
        Column("episode", EPISODE),
        Column(
            "measure",
            "code: reqol_10 (0-40, higher is better), swemwbs (7-35 metric score, higher is "
            "better), core_10 (0-40, lower is better), dialog (1-7 mean of 8 life domains, higher "
            "is better)",
        ),
        Column("day", f"the day it was completed, in {DAYS}"),
        Column("score", "the total only"),
    ),
    "stays": (
        Column("person", PERSON),
        Column(
            "episode",
            "the episode the days are counted from: a stay is listed beside each of the person's "
            "episodes",
        ),
        Column("admission_day", f"the admission, in {DAYS}"),
        Column("discharge_day", f"the discharge, in {DAYS}; empty while still in hospital"),
        Column("setting", "code: mental_health_inpatient, other_inpatient"),
    ),
}


def columns_for(study: Study) -> dict[str, tuple[Column, ...]]:
    """The study's columns: gender and ethnicity only where the study takes them."""
    left_out = {
        name
        for name, taken in (("gender", study.with_gender), ("ethnicity", study.with_ethnicity))
        if not taken
    }
    return {
        name: tuple(c for c in cols if c.name not in left_out) for name, cols in COLUMNS.items()
    }


def rows(study: Study) -> list[list[str]]:
    """The dictionary as a CSV: file, column, meaning."""
    return [["file", "column", "meaning"]] + [
        [f"{name}.csv", c.name, c.meaning]
        for name, cols in columns_for(study).items()
        for c in cols
    ]
