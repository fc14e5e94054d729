"""IPS in Primary Care's job outcome (docs/metrics.md, `job_outcomes`): work of at least 7 (or
16) hours a week at no less than the minimum wage for the person's age, in 13 of 16 weeks.
Each episode's outcome date from its job starts, which the report counts, and how far a client
in work has come towards it, which the caseload shows. Days are ordinals here, so the
arithmetic cannot overflow."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from openips.core.dates import whole_years
from openips.employment.minimum_wage import minimum_rate
from openips.employment.models import Job

WEEKS = 16  # the weeks ending on an outcome date that are looked at
NEEDED = 13  # of which at least this many must be covered
FOREVER = date.max.toordinal()  # the last day of a job without an end date

Run = tuple[int, int]  # first and last day, both included


class JobStart(Protocol):
    """What the outcome reads of a job start (the report's facts, or a job itself)."""

    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date | None: ...
    @property
    def hours(self) -> Decimal | None: ...
    @property
    def pay(self) -> Decimal | None: ...


def qualifies(job: JobStart, birth: date | None, hours: int) -> bool:
    """At least `hours` a week and the minimum rate on its start date, for the age then."""
    if job.hours is None or job.pay is None:
        return False
    age = None if birth is None else whole_years(birth, job.start)
    return job.hours >= hours and job.pay >= minimum_rate(job.start, age)


def covered(jobs: Iterable[JobStart]) -> list[Run]:
    """The days some job covers, as disjoint runs in order: overlapping or touching jobs merge."""
    spans = sorted(
        (j.start.toordinal(), FOREVER if j.end is None else j.end.toordinal()) for j in jobs
    )
    runs: list[list[int]] = []
    for first, last in spans:
        if runs and first <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], last)
        elif first <= last:
            runs.append([first, last])
    return [(first, last) for first, last in runs]


def week_ends(runs: Sequence[Run]) -> list[Run]:
    """The days d whose week [d − 6, d] is covered every day: [first + 6, last] of each run of
    at least 7 days (a covered week lies within one run, since runs do not touch)."""
    return [(first + 6, last) for first, last in runs if last - first >= 6]


def _counting(ends: Sequence[Run]) -> Callable[[int], bool]:
    """Whether the week ending on a day counts, from the runs of such days."""
    firsts = [first for first, _ in ends]

    def counts(day: int) -> bool:
        i = bisect_right(firsts, day) - 1
        return i >= 0 and day <= ends[i][1]

    return counts


def outcome_day(ends: Sequence[Run]) -> int | None:
    """The earliest day A on which at least 13 of the 16 weeks ending on A count, from the
    days whose week counts (week_ends), as runs in order.

    Only days whose own last week counts need trying: the 16 weeks ending 7 days before A share
    fifteen with A's, so if A's last week does not count A has no more than they have, and they
    have fewer than 13 (they end earlier, or before any job began). In a run of such days
    [first, last], the weeks ending first, first + 7, … all count, so first + 84 has 13 of its
    own: nothing later in the run need be tried. Before first + 84 a day has at most 12 of its
    own and needs weeks of earlier runs; if the run before ended 29 days or more before first,
    any 16 weeks reaching back to it also hold 4 weeks ending in the gap, none of which count,
    so from such a run only first + 84 can be the outcome."""
    counts = _counting(ends)
    for i, (first, last) in enumerate(ends):
        near = i > 0 and ends[i - 1][1] > first - 29
        for day in range(first if near else first + 84, min(last, first + 84) + 1):
            if sum(counts(day - 7 * k) for k in range(WEEKS)) >= NEEDED:
                return day
    return None


def outcome_date(jobs: Iterable[JobStart], birth: date | None, hours: int) -> date | None:
    """The episode's outcome date at `hours` a week, from its job starts; None if none yet."""
    day = outcome_day(week_ends(covered(j for j in jobs if qualifies(j, birth, hours))))
    return None if day is None else date.fromordinal(day)


@dataclass(frozen=True)
class Progress:
    weeks: int  # of the 16 weeks ending today, those that count
    reached: date | None  # the outcome date if the jobs held go on as they are


def progress(jobs: Iterable[JobStart], birth: date | None, hours: int, today: date) -> Progress:
    """How far a client has come towards the outcome at `hours` a week: the weeks that count so
    far, and the day the outcome is reached if every job without an end date goes on (it may
    be past: reached already)."""
    ends = week_ends(covered(j for j in jobs if qualifies(j, birth, hours)))
    counts, day = _counting(ends), today.toordinal()
    weeks = sum(counts(day - 7 * k) for k in range(WEEKS))
    reached = outcome_day(ends)
    return Progress(weeks, None if reached is None else date.fromordinal(reached))


@dataclass(frozen=True)
class Held:
    """A job as the outcome reads it."""

    start: date
    end: date | None
    hours: Decimal | None
    pay: Decimal | None


def held(job: Job) -> Held:
    return Held(job.start_date, job.end_date, job.hours_per_week, job.hourly_pay)
