"""The outcome metrics (ADR 0008), counted from the facts (facts.py) exactly as
the definitions read. Pure functions: no database, so each boundary is easy to test by hand."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from openips.clients.codes import RetentionStatus
from openips.clients.stages import status_on
from openips.core.dates import add_days
from openips.employment.job_outcome import outcome_date
from openips.outcomes import evidence
from openips.outcomes.facts import EpisodeFact, JobFact
from openips.outcomes.periods import Period as Period  # where the metrics' callers find it

OUT_OF_WORK = {"unemployed", "economically_inactive"}
SUSTAINED = {"sustained_13_weeks": 91, "sustained_26_weeks": 182, "sustained_52_weeks": 364}
RETAINED = {"kept_13_weeks": 91, "kept_26_weeks": 182}  # days after acceptance


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def median(values: list[Any]) -> float | int | None:
    return statistics.median(values) if values else None


def mean(values: list[int]) -> float | None:
    return statistics.fmean(values) if values else None


def is_open_on(e: EpisodeFact, day: date) -> bool:
    return (
        e.accepted is not None and e.accepted <= day and (e.discharge is None or e.discharge >= day)
    )


def is_open_during(e: EpisodeFact, p: Period) -> bool:
    return (
        e.accepted is not None
        and e.accepted <= p.end
        and (e.discharge is None or e.discharge >= p.start)
    )


def is_engaged_on(e: EpisodeFact, day: date) -> bool:
    return is_open_on(e, day) and e.profile is not None and e.profile <= day


def is_engaged_during(e: EpisodeFact, p: Period) -> bool:
    return is_open_during(e, p) and e.profile is not None and e.profile <= p.end


def sustained(jobs: list[JobFact], p: Period, days: int) -> dict[str, Any]:
    cohort = [j for j in jobs if add_days(j.start, days) in p]
    kept = [j for j in cohort if j.end is None or j.end >= add_days(j.start, days)]
    return {"cohort": len(cohort), "sustained": len(kept), "rate": rate(len(kept), len(cohort))}


def job_retention(episodes: Iterable[EpisodeFact], p: Period) -> dict[str, Any]:
    """Clients employed at referral, accepted, whose 13 (26)-week anniversary of acceptance is
    in P; in work: whose status that day is not "left the job". A discharge is not a change in
    work: only a recorded "left" counts against them (metrics.md)."""
    employed = [e for e in episodes if e.status == "employed"]
    found = {}
    for key, days in RETAINED.items():
        cohort = [
            (e, day) for e in employed if e.accepted and (day := add_days(e.accepted, days)) in p
        ]
        kept = sum(status_on(e.retention, day) != RetentionStatus.LEFT for e, day in cohort)
        found[key] = {"cohort": len(cohort), "in_work": kept, "rate": rate(kept, len(cohort))}
    return found


def job_outcomes(
    episodes: Iterable[EpisodeFact], by_episode: dict[int, list[JobFact]], p: Period
) -> tuple[dict[str, Any], int]:
    """Episodes whose job outcome date (job_outcomes.py) at 7 and at 16 hours is in P, and how
    many values the median of days from acceptance rests on."""
    outcomes = outcomes_16 = 0
    days: list[int] = []
    for e in episodes:
        jobs = by_episode.get(e.pk)
        if not jobs:
            continue
        found = outcome_date(jobs, e.birth, 7)
        if found is not None and found in p:
            outcomes += 1
            if e.accepted is not None:  # never accepted: counted, but not timed
                days.append((found - e.accepted).days)
        # A job qualifying at 16 hours qualifies at 7: no outcome at 7, none at 16.
        outcomes_16 += found is not None and outcome_date(jobs, e.birth, 16) in p
    value = {
        "outcomes": outcomes,
        "outcomes_16_hours": outcomes_16,
        "median_days_from_acceptance": median(days),
    }
    return value, len(days)


def outcome_metrics(
    episodes: Iterable[EpisodeFact], all_jobs: Iterable[JobFact], p: Period
) -> dict[str, Any]:
    """Every key of the outcome table, for these episodes and their job starts."""
    return metrics_and_bases(episodes, all_jobs, p)[0]


def metrics_and_bases(
    episodes: Iterable[EpisodeFact], all_jobs: Iterable[JobFact], p: Period
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """The metrics, and for each rate or median the (numerator, denominator) counts it rests
    on, which disclosure control needs."""
    episodes = list(episodes)
    ids = {e.pk for e in episodes}
    jobs = [j for j in all_jobs if j.episode in ids]
    by_episode: dict[int, list[JobFact]] = defaultdict(list)
    for job in jobs:
        by_episode[job.episode].append(job)
    starts_in_p = [j for j in jobs if j.start in p]

    served = [e for e in episodes if e.status in OUT_OF_WORK and is_engaged_during(e, p)]
    into_work = [e for e in served if any(j.start in p for j in by_episode[e.pk])]
    engaged = [e for e in episodes if is_engaged_during(e, p)]
    competitive = [
        e
        for e in engaged
        if any(j.competitive and p.overlaps(j.start, j.end) for j in by_episode[e.pk])
    ]
    first_jobs = {
        e.person
        for e in episodes
        if by_episode[e.pk] and min(j.start for j in by_episode[e.pk]) in p
    }
    accepted = [e for e in episodes if e.accepted in p]
    waiting = [e for e in accepted if e.status in OUT_OF_WORK]
    days = [
        (e.first_employer_contact - e.accepted).days
        for e in waiting
        if e.first_employer_contact is not None
        and e.accepted is not None
        and e.first_employer_contact <= p.end
    ]
    hours = [float(j.hours) for j in starts_in_p if j.hours is not None]
    pay = [float(j.pay) for j in starts_in_p if j.pay is not None]
    employed = sum(e.status == "employed" for e in accepted)
    outcomes, timed = job_outcomes(episodes, by_episode, p)
    bases = {
        "employment_rate_out_of_work": (len(into_work), len(served)),
        "competitive_employment_rate": (len(competitive), len(engaged)),
        "days_to_first_employer_contact": (len(days), len(days)),
        "job_start_hours_median": (len(hours), len(hours)),
        "job_start_hourly_pay_median": (len(pay), len(pay)),
        "in_work_at_referral_share": (employed, len(accepted)),
        "job_outcomes": (timed, timed),
    }
    metrics = {
        "referrals_received": sum(e.referral in p for e in episodes),
        "referrals_accepted": len(accepted),
        "vocational_profiles_started": sum(e.profile in p for e in episodes),
        "caseload_open_at_end": sum(is_open_on(e, p.end) for e in episodes),
        "caseload_active_at_end": sum(
            is_engaged_on(e, p.end) and e.client_contact_recently for e in episodes
        ),
        "clients_into_work": len(first_jobs),
        "job_starts": len(starts_in_p),
        "out_of_work_served": len(served),
        "out_of_work_into_work": len(into_work),
        "employment_rate_out_of_work": rate(len(into_work), len(served)),
        "competitive_employment_rate": rate(len(competitive), len(engaged)),
        **{key: sustained(jobs, p, n) for key, n in SUSTAINED.items()},
        "days_to_first_employer_contact": {
            "episodes": len(waiting),
            "contacted": len(days),
            "mean": mean(days),
            "median": median(days),
        },
        "job_start_hours_median": median(hours),
        "job_start_hourly_pay_median": median(pay),
        "discharges": sum(e.discharge in p for e in episodes),
        "in_work_at_referral_share": rate(employed, len(accepted)),
        "first_contacts": sum(e.first_direct_contact in p for e in episodes),
        "job_outcomes": outcomes,
        "job_retention": job_retention(episodes, p),
        "in_work_on_anniversary": evidence.in_work_on_anniversary(episodes, by_episode, p),
        "hospital_use": evidence.hospital_use(episodes, p),
        "measures": evidence.measures(episodes, p),
    }
    return metrics, bases
