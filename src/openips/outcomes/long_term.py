"""Long-term outcomes of one service: work on the 1st, 2nd and 5th anniversary of acceptance
for everyone who has reached it, time to first job and job tenure to 5 years, and hours and
pay of job starts year by year. One read of the facts (outcomes.report.Facts)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Min, QuerySet

from openips.clients.models import Episode
from openips.outcomes import survival
from openips.outcomes.dashboard import job_tenure, time_to_first_job
from openips.outcomes.metrics import Period
from openips.outcomes.report import Facts

# Hoffmann et al (2014), five years in Bern: the share who had held a competitive job.
HOFFMANN_IPS, HOFFMANN_TVR = 0.65, 0.33


@dataclass(frozen=True)
class YearOfStarts:
    year: int
    starts: int
    hours_median: float | None
    pay_median: float | None


@dataclass(frozen=True)
class LongTerm:
    as_of: date
    since: date  # the first referral: every anniversary reached from then to as_of counts
    metrics: dict[str, Any]
    first_job: survival.Curve | None
    tenure: survival.Curve | None
    years: list[YearOfStarts]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def starts_by_year(facts: Facts, as_of: date) -> list[YearOfStarts]:
    """Confirmed job starts by calendar year: how many, and their median hours and pay."""
    by_year: dict[int, list[Any]] = defaultdict(list)
    for job in facts.jobs:
        if job.start <= as_of:
            by_year[job.start.year].append(job)
    return [
        YearOfStarts(
            year,
            len(jobs),
            _median([float(j.hours) for j in jobs if j.hours is not None]),
            _median([float(j.pay) for j in jobs if j.pay is not None]),
        )
        for year, jobs in sorted(by_year.items())
    ]


def build(episodes: QuerySet[Episode], as_of: date) -> LongTerm:
    first = episodes.aggregate(first=Min("referral_date"))["first"] or as_of
    period = Period(min(first, as_of), as_of)
    facts = Facts(episodes, period)
    return LongTerm(
        as_of,
        period.start,
        facts.metrics(),
        time_to_first_job(facts, as_of),
        job_tenure(facts.jobs, as_of),
        starts_by_year(facts, as_of),
    )
