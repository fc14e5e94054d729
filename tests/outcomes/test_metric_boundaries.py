"""Hand-worked cases for every boundary metrics.md names, on the pure metric functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from openips.outcomes.facts import EpisodeFact, JobFact
from openips.outcomes.metrics import Period, outcome_metrics

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))
END = Q1.end


def episode(pk: int = 1, **changes: Any) -> EpisodeFact:
    base = EpisodeFact(
        pk=pk,
        person=pk,
        referral=date(2024, 10, 1),
        accepted=date(2024, 10, 2),
        profile=date(2024, 10, 20),
        discharge=None,
        status="unemployed",
        specialist="ES01",
        team="North",
        source="secondary_care",
        gender="female",
        ethnicity="white",
        birth=date(1990, 5, 5),
        service="S",
        client_contact_recently=False,
        first_employer_contact=None,
        first_direct_contact=None,
    )
    return replace(base, **changes)


def job(episode: int = 1, start: date = date(2025, 2, 1), **changes: Any) -> JobFact:
    base = JobFact(
        episode=episode,
        start=start,
        end=None,
        hours=None,
        pay=None,
        competitive=True,
        employer=None,
        job_type="",
        title="Clerk",
    )
    return replace(base, **changes)


def metrics(episodes: list[EpisodeFact], jobs: Sequence[JobFact] = ()) -> dict[str, Any]:
    return outcome_metrics(episodes, jobs, Q1)


def test_a_discharge_on_the_last_day_is_still_open_at_the_end_and_counts_as_a_discharge() -> None:
    m = metrics([episode(discharge=END)])
    assert m["caseload_open_at_end"] == 1
    assert m["discharges"] == 1
    day_before = metrics([episode(discharge=END - timedelta(days=1))])
    assert day_before["caseload_open_at_end"] == 0 and day_before["discharges"] == 1


def test_a_referral_on_the_first_and_last_days_is_in_the_period() -> None:
    m = metrics(
        [
            episode(1, referral=Q1.start, accepted=None, profile=None),
            episode(2, referral=END, accepted=None, profile=None),
            episode(3, referral=END + timedelta(days=1), accepted=None, profile=None),
        ]
    )
    assert m["referrals_received"] == 2
    assert m["caseload_open_at_end"] == 0  # referred but not accepted


def test_active_caseload_needs_engagement_and_a_client_contact_in_the_last_28_days() -> None:
    # The fact `client_contact_recently` is read for [E − 27, E]; see test_facts for the dates.
    assert metrics([episode(client_contact_recently=True)])["caseload_active_at_end"] == 1
    assert metrics([episode(client_contact_recently=False)])["caseload_active_at_end"] == 0
    not_engaged = episode(profile=None, client_contact_recently=True)
    assert metrics([not_engaged])["caseload_active_at_end"] == 0
    assert metrics([not_engaged])["caseload_open_at_end"] == 1


def test_a_job_ending_exactly_on_its_anniversary_is_sustained() -> None:
    start = date(2024, 12, 1)
    anniversary = start + timedelta(days=91)  # 2025-03-02, inside Q1
    m = metrics([episode()], [job(start=start, end=anniversary)])
    assert m["sustained_13_weeks"] == {"cohort": 1, "sustained": 1, "rate": 1.0}
    m = metrics([episode()], [job(start=start, end=anniversary - timedelta(days=1))])
    assert m["sustained_13_weeks"] == {"cohort": 1, "sustained": 0, "rate": 0.0}


def test_the_anniversary_must_fall_in_the_period_for_the_cohort() -> None:
    last = END - timedelta(days=91)
    assert metrics([episode()], [job(start=last)])["sustained_13_weeks"]["cohort"] == 1
    late = metrics([episode()], [job(start=last + timedelta(days=1))])
    assert late["sustained_13_weeks"] == {"cohort": 0, "sustained": 0, "rate": None}


def test_clients_into_work_counts_first_jobs_only_and_each_person_once() -> None:
    earlier = [job(1, date(2024, 11, 1)), job(1, date(2025, 2, 1))]
    m = metrics([episode(1)], earlier)
    assert m["clients_into_work"] == 0  # the first job started before the period
    assert m["job_starts"] == 1  # but the second job is a start in the period
    same_person = [episode(1, person=7), episode(2, person=7)]
    m = metrics(same_person, [job(1, date(2025, 1, 5)), job(2, date(2025, 2, 5))])
    assert m["clients_into_work"] == 1 and m["job_starts"] == 2


def test_the_employment_rate_is_over_people_out_of_work_and_engaged_during_the_period() -> None:
    people = [
        episode(1),  # served, into work
        episode(2),  # served, no job
        episode(3, status="employed"),  # in work at referral: not in this rate
        episode(4, profile=None),  # not engaged
        episode(5, discharge=Q1.start - timedelta(days=1)),  # closed before the period
    ]
    m = metrics(people, [job(1), job(3)])
    assert (m["out_of_work_served"], m["out_of_work_into_work"]) == (2, 1)
    assert m["employment_rate_out_of_work"] == 0.5
    # Competitive employment counts every engaged episode, in work at referral or not.
    assert m["competitive_employment_rate"] == pytest.approx(2 / 3)


def test_a_job_overlapping_the_period_counts_for_competitive_employment() -> None:
    before = job(start=date(2024, 6, 1), end=Q1.start)  # ends on the first day: overlaps
    assert metrics([episode()], [before])["competitive_employment_rate"] == 1.0
    ended = job(start=date(2024, 6, 1), end=Q1.start - timedelta(days=1))
    assert metrics([episode()], [ended])["competitive_employment_rate"] == 0.0
    sheltered = job(competitive=False)
    assert metrics([episode()], [sheltered])["competitive_employment_rate"] == 0.0


def test_days_to_first_employer_contact() -> None:
    accepted = date(2025, 1, 10)
    people = [
        episode(1, accepted=accepted, first_employer_contact=accepted + timedelta(days=10)),
        episode(2, accepted=accepted, first_employer_contact=accepted + timedelta(days=21)),
        episode(3, accepted=accepted, first_employer_contact=END + timedelta(days=1)),  # after E
        episode(4, accepted=accepted, status="employed", first_employer_contact=accepted),
    ]
    m = metrics(people)["days_to_first_employer_contact"]
    assert m == {"episodes": 3, "contacted": 2, "mean": 15.5, "median": 15.5}
    assert metrics([])["days_to_first_employer_contact"] == {
        "episodes": 0,
        "contacted": 0,
        "mean": None,
        "median": None,
    }


def test_medians_of_hours_and_pay_skip_jobs_without_them() -> None:
    jobs = [
        job(start=date(2025, 1, 5), hours=Decimal("10"), pay=Decimal("12.00")),
        job(start=date(2025, 1, 6), hours=Decimal("20"), pay=None),
        job(start=date(2025, 1, 7), hours=None, pay=Decimal("13.00")),
        job(start=date(2024, 1, 7), hours=Decimal("99"), pay=Decimal("99")),  # not in Q1
    ]
    m = metrics([episode()], jobs)
    assert m["job_start_hours_median"] == 15.0
    assert m["job_start_hourly_pay_median"] == 12.5


def test_rates_are_null_when_nobody_is_in_the_denominator() -> None:
    m = metrics([])
    assert m["employment_rate_out_of_work"] is None
    assert m["competitive_employment_rate"] is None
    assert m["in_work_at_referral_share"] is None
    assert m["job_start_hours_median"] is None


def test_in_work_at_referral_share_and_first_contacts() -> None:
    people = [
        episode(1, accepted=date(2025, 1, 2), status="employed", first_direct_contact=Q1.start),
        episode(2, accepted=date(2025, 1, 3), first_direct_contact=END + timedelta(days=1)),
        episode(3, accepted=date(2025, 1, 4), first_direct_contact=date(2024, 12, 31)),
        episode(4, accepted=date(2025, 1, 5), first_direct_contact=END),
    ]
    m = metrics(people)
    assert m["in_work_at_referral_share"] == 0.25
    assert m["first_contacts"] == 2
