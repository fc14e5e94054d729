"""Employment as dated spells (MHS004): each referral's spells stop at its discharge, so a
person referred again has no overlapping records, and a change of hours starts a new spell with
the hours in force then, not the job's latest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openips.employment.models import JobChange
from openips.mhsds import rows
from openips.mhsds.sources import referrals
from openips.outcomes.metrics import Period
from tests.factories import EpisodeFactory, JobFactory, PersonFactory, ServiceFactory

pytestmark = pytest.mark.django_db
YEAR = Period(date(2024, 4, 1), date(2025, 3, 31))


def spells_of(service) -> list[tuple[str, str, str, str, str]]:  # type: ignore[no-untyped-def]
    found = rows.employment(referrals(service, YEAR), YEAR)
    return [
        (
            r["LocalPatientID"],
            r["EmployStatus"],
            r["EmployStatusStartDate"],
            r["EmployStatusEndDate"],
            r["WeekHoursWorked"],
        )
        for r in found
    ]


def test_a_person_referred_again_has_no_overlapping_spells() -> None:
    service = ServiceFactory()
    person = PersonFactory(service=service, client_id="C1")
    first = EpisodeFactory(
        person=person,
        referral_date=date(2024, 11, 1),
        accepted_date=date(2024, 11, 4),
        discharge_date=date(2025, 1, 5),
        discharge_reason="no_longer_wants_work",
    )
    JobFactory(episode=first, start_date=date(2024, 12, 2), end_date=date(2025, 1, 10))
    EpisodeFactory(person=person, referral_date=date(2025, 1, 20), accepted_date=None)
    assert spells_of(service) == [
        ("C1", "02", "2024-11-01", "2024-12-01", "98"),
        ("C1", "01", "2024-12-02", "2025-01-05", "02"),  # ends at discharge, not the job's end
        ("C1", "02", "2025-01-20", "", "98"),
    ]


def test_a_change_of_hours_starts_a_spell_with_the_hours_then() -> None:
    service = ServiceFactory()
    episode = EpisodeFactory(
        person__service=service, person__client_id="C2", referral_date=date(2024, 6, 3)
    )
    job = JobFactory(episode=episode, start_date=date(2024, 7, 1), hours_per_week=Decimal("10"))
    for day, hours in [(date(2024, 7, 1), "10"), (date(2024, 10, 7), "20")]:
        JobChange.objects.create(
            job=job, effective_date=day, hours_per_week=Decimal(hours), start_confirmed=True
        )
    # A change after the period does not rewrite it.
    JobChange.objects.create(
        job=job, effective_date=date(2025, 6, 2), hours_per_week=Decimal("35"), start_confirmed=True
    )
    job.hours_per_week = Decimal("35")
    job.save()
    assert spells_of(service) == [
        ("C2", "02", "2024-06-03", "2024-06-30", "98"),
        ("C2", "01", "2024-07-01", "2024-10-06", "03"),
        ("C2", "01", "2024-10-07", "", "02"),
    ]


def test_hours_before_the_first_recorded_change_are_not_known() -> None:
    service = ServiceFactory()
    episode = EpisodeFactory(
        person__service=service, person__client_id="C3", referral_date=date(2024, 6, 3)
    )
    job = JobFactory(episode=episode, start_date=date(2024, 7, 1), hours_per_week=Decimal("30"))
    JobChange.objects.create(
        job=job, effective_date=date(2024, 9, 2), hours_per_week=Decimal("30"), start_confirmed=True
    )
    assert spells_of(service)[1:] == [
        ("C3", "01", "2024-07-01", "2024-09-01", "99"),
        ("C3", "01", "2024-09-02", "", "01"),
    ]
