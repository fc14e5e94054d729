"""What a dashboard shows, assembled from one read of the facts: the summary against the
benchmarks, monthly XmR trends, the funnel of ES, survival curves and equity breakdowns. The
programme's kpis decide which measures, trends and per-ES figures appear (docs/metrics.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from openips.clients.models import Episode
from openips.core import params
from openips.employment.job_outcome import outcome_date
from openips.organisations import programmes
from openips.organisations.programmes import Programme
from openips.organisations.queries import Change
from openips.outcomes import funnel, spc, survival
from openips.outcomes.facts import EpisodeFact, JobFact
from openips.outcomes.metrics import (
    OUT_OF_WORK,
    Period,
    is_engaged_during,
    mean,
    outcome_metrics,
)
from openips.outcomes.report import BREAKDOWNS, Facts

TREND_MONTHS = 24


def quarter_start(day: date) -> date:
    """The first day of the financial-year quarter `day` is in (ADR 0023)."""
    return params.Quarter.containing(day).start


def last_12_months(as_of: date) -> Period:
    """The dashboard's longer period: the 365 days to `as_of`."""
    return Period(as_of - timedelta(days=364), as_of)


def months_back(as_of: date, count: int) -> list[Period]:
    """The last `count` calendar months, the current one ending on `as_of`."""
    periods: list[Period] = []
    end = as_of
    for _ in range(count):
        start = end.replace(day=1)
        periods.append(Period(start, end))
        end = start - timedelta(days=1)
    return periods[::-1]


@dataclass
class Trend:
    key: str
    title: str
    unit: str
    months: list[Period]
    values: list[float]
    chart: spc.XmR | None
    direction: spc.Direction
    target: float | None


def monthly_series(facts: Facts, months: list[Period]) -> dict[str, list[float | None]]:
    """The trend metrics for each month, as outcome_metrics would count them month by month,
    but in one pass over the facts: each episode and job goes to the month its date falls in."""
    index = {(m.start.year, m.start.month): n for n, m in enumerate(months)}

    def month_of(day: date | None) -> int | None:
        n = index.get((day.year, day.month)) if day else None
        return n if n is not None and day in months[n] else None

    starts, referrals = [0] * len(months), [0] * len(months)
    waits: list[list[int]] = [[] for _ in months]
    for job in facts.jobs:
        if (n := month_of(job.start)) is not None:
            starts[n] += 1
    for e in facts.episodes:
        if (n := month_of(e.referral)) is not None:
            referrals[n] += 1
        n, accepted = month_of(e.accepted), e.accepted
        contact = e.first_employer_contact
        if n is None or accepted is None or e.status not in OUT_OF_WORK:
            continue
        if contact and contact <= months[n].end:
            waits[n].append((contact - accepted).days)
    return {
        "job_starts": [float(v) for v in starts],
        "referrals_received": [float(v) for v in referrals],
        "days_to_first_employer_contact": [mean(w) for w in waits],
    }


def monthly_job_outcomes(facts: Facts, months: list[Period]) -> list[float]:
    """Job outcomes (at 7 hours) dated in each month, as outcome_metrics counts them."""
    index = {(m.start.year, m.start.month): n for n, m in enumerate(months)}
    jobs: dict[int, list[JobFact]] = defaultdict(list)
    for job in facts.jobs:
        jobs[job.episode].append(job)
    counts = [0] * len(months)
    for e in facts.episodes:
        found = outcome_date(jobs[e.pk], e.birth, 7) if e.pk in jobs else None
        n = index.get((found.year, found.month)) if found else None
        if n is not None and found in months[n]:
            counts[n] += 1
    return [float(c) for c in counts]


@dataclass(frozen=True)
class Series:
    """A monthly trend, shown when the programme's kpis name its measure (`key`)."""

    key: str
    title: str
    unit: str
    direction: spc.Direction
    target: float | None = None


SERIES = (
    Series("job_starts", "Job starts each month", "job starts", spc.Direction.HIGHER),
    Series(
        "job_outcomes",
        "Job outcomes each month (7 hours a week or more)",
        "job outcomes",
        spc.Direction.HIGHER,
    ),
    Series(
        "referrals_received", "Referrals received each month", "referrals", spc.Direction.NEUTRAL
    ),
    Series(
        "days_to_first_employer_contact",
        "Mean days from acceptance to first employer contact, by month accepted",
        "days",
        spc.Direction.LOWER,
        30.0,
    ),
)


def trends(
    facts: Facts, as_of: date, kpis: tuple[str, ...] = programmes.default().kpis
) -> list[Trend]:
    first = min((e.referral for e in facts.episodes), default=as_of)
    months = [m for m in months_back(as_of, TREND_MONTHS) if m.end >= first]  # since the start
    shown = [s for s in SERIES if s.key in kpis]
    monthly = monthly_series(facts, months)
    if any(s.key == "job_outcomes" for s in shown):  # the outcome search only where shown
        monthly["job_outcomes"] = list(monthly_job_outcomes(facts, months))
    found = []
    for s in shown:
        kept = [(p, v) for p, v in zip(months, monthly[s.key], strict=True) if v is not None]
        points = [float(v) for _, v in kept]
        found.append(
            Trend(
                s.key,
                s.title,
                s.unit,
                [p for p, _ in kept],
                points,
                # Every trend is a count or a number of days: no limit below 0.
                spc.xmr(points, s.direction, s.target, spc.COUNT),
                s.direction,
                s.target,
            )
        )
    return found


# The measure the funnel of employment specialists compares, and the measures shown specialist
# by specialist beside it: each only where the programme's kpis name it.
FUNNEL_MEASURE = "employment_rate_out_of_work"
PER_SPECIALIST = ("job_outcomes",)


def specialist_funnel(
    by_specialist: dict[str, dict[str, Any]],
) -> tuple[float | None, list[funnel.Placed]]:
    units = []
    for name, m in by_specialist.items():
        units.append(funnel.Unit(name, m["out_of_work_into_work"], m["out_of_work_served"]))
    return funnel.place(units)


def time_to_first_job(facts: Facts, as_of: date) -> survival.Curve | None:
    first: dict[int, date] = {}
    for job in facts.jobs:
        if job.start <= as_of:
            first[job.episode] = min(job.start, first.get(job.episode, job.start))
    durations, events = [], []
    for e in facts.episodes:
        if e.accepted is None or e.accepted > as_of:
            continue
        started = first.get(e.pk)
        if started is not None and started >= e.accepted:
            durations.append(survival.days(e.accepted, started))
            events.append(True)
        elif started is None:
            stop = min(e.discharge, as_of) if e.discharge else as_of
            durations.append(survival.days(e.accepted, stop))
            events.append(False)
    return survival.kaplan_meier(durations, events)


def job_tenure(jobs: list[JobFact], as_of: date) -> survival.Curve | None:
    durations, events = [], []
    for job in jobs:
        if job.start > as_of:
            continue
        end = job.end if job.end is not None and job.end <= as_of else None
        durations.append(survival.days(job.start, as_of if end is None else end))
        events.append(end is not None)
    return survival.kaplan_meier(durations, events)


@dataclass(frozen=True)
class EquityRow:
    group: str
    served: int
    into_work: int
    rate: float | None


def equity(facts: Facts, period: Period) -> dict[str, list[EquityRow]]:
    """People out of work at referral and engaged in the period, and how many started work."""
    tables: dict[str, list[EquityRow]] = {}
    starts: dict[int, list[JobFact]] = defaultdict(list)
    for job in facts.jobs:
        starts[job.episode].append(job)
    for by in ("gender", "ethnicity", "age_band", "referral_source"):
        groups: dict[str, list[EpisodeFact]] = defaultdict(list)
        for e in facts.episodes:
            if e.status in OUT_OF_WORK and is_engaged_during(e, period):
                groups[BREAKDOWNS[by](e) or "not recorded"].append(e)
        rows = []
        for name, members in sorted(groups.items()):
            into = sum(any(j.start in period for j in starts[e.pk]) for e in members)
            rows.append(EquityRow(name, len(members), into, into / len(members)))
        tables[by] = rows
    return tables


@dataclass
class Dashboard:
    as_of: date
    quarter: Period
    quarter_label: str  # "2026/27 Q3": the financial year's quarter so far
    year: Period
    quarter_metrics: dict[str, Any]
    year_metrics: dict[str, Any]
    trends: list[Trend]
    overall_rate: float | None
    specialists: list[funnel.Placed]
    first_job: survival.Curve | None
    tenure: survival.Curve | None
    equity: dict[str, list[EquityRow]]
    # The programme the figures are read by (its kpis and benchmarks): the service's on as_of,
    # the last day of both periods (organisations.queries.programme_over), and the changes of
    # programme within the last 12 months, which the page names.
    programme: Programme = field(default_factory=programmes.default)
    programme_changes: tuple[Change, ...] = ()
    # The PER_SPECIALIST measures of the programme, specialist by specialist, last 12 months.
    by_specialist: dict[str, dict[str, Any]] = field(default_factory=dict)


def build(
    episodes: QuerySet[Episode],
    as_of: date,
    *,
    with_funnel: bool = True,
    programme: Programme | None = None,
    changes: tuple[Change, ...] = (),
) -> Dashboard:
    programme = programme or programmes.default()
    year = last_12_months(as_of)
    quarter = Period(quarter_start(as_of), as_of)
    facts = Facts(episodes, year)  # both periods end on as_of: one read serves both
    specialists = facts.breakdown("employment_specialist") if with_funnel else {}
    overall, placed = (
        specialist_funnel(specialists) if FUNNEL_MEASURE in programme.kpis else (None, [])
    )
    per_specialist = [key for key in PER_SPECIALIST if key in programme.kpis]
    return Dashboard(
        as_of,
        quarter,
        params.Quarter.containing(as_of).label,
        year,
        outcome_metrics(facts.episodes, facts.jobs, quarter),
        facts.metrics(),
        trends(facts, as_of, programme.kpis),
        overall,
        placed,
        time_to_first_job(facts, as_of),
        job_tenure(facts.jobs, as_of),
        equity(facts, year),
        programme,
        changes,
        {name: {k: m[k] for k in per_specialist} for name, m in specialists.items()}
        if per_specialist
        else {},
    )
