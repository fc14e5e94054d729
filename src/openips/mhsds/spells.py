"""Employment status as dated spells (MHS004): the status at referral, then a new spell each
time the set of jobs held changes, so the trust's record shows work as it happened. Hours of
jobs held together add up; a spell with no job after work is "unemployed and seeking work",
as someone still supported by IPS is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from openips.clients.codes import EmploymentStatus
from openips.clients.models import Episode
from openips.employment.models import Job, JobChange
from openips.mhsds.codes import code, code_list


@dataclass(frozen=True)
class Spell:
    status: str  # our employment status
    start: date
    end: date | None
    hours: Decimal | None  # None: not known (or not employed)
    employed: bool


def hours_band(hours: Decimal | None, employed: bool) -> str:
    listed = code_list("weekly_hours_worked")
    if not employed:
        return code("weekly_hours_worked", "not_employed")
    if hours is None:
        return code("weekly_hours_worked", "not_known")
    for lower, band in listed.bands:
        if hours >= lower:
            return band
    return code("weekly_hours_worked", "not_known")


def _held(jobs: list[Job], day: date) -> list[Job]:
    return [j for j in jobs if j.start_date <= day and (j.end_date is None or j.end_date >= day)]


def hours_on(job: Job, changes: list[JobChange], day: date) -> Decimal | None:
    """The job's weekly hours in force on `day`. A job's row holds its latest hours, so once
    they have changed the hours before the first change are no longer known."""
    if not changes:
        return job.hours_per_week
    in_force = [c for c in changes if c.effective_date <= day]
    return in_force[-1].hours_per_week if in_force else None


def spells(
    episode: Episode, jobs: list[Job], changes: dict[int, list[JobChange]], until: date
) -> list[Spell]:
    """`changes`: each job's changes of hours, oldest first. The spells stop at the referral's
    discharge: after it, the service no longer knows the person's status."""
    start, discharged = episode.referral_date, episode.discharge_date
    closes = discharged is not None and discharged <= until
    if discharged is not None:
        until = min(until, discharged)
    turns = sorted(
        {max(j.start_date, start) for j in jobs}
        | {j.end_date + timedelta(days=1) for j in jobs if j.end_date and j.end_date >= start}
        | {c.effective_date for j in jobs for c in changes.get(j.pk, [])}
    )
    at_referral = episode.employment_status_at_referral
    found: list[Spell] = []
    for day in [start, *[d for d in turns if start < d <= until]]:
        held = _held(jobs, day)
        if held:
            each = [hours_on(j, changes.get(j.pk, []), day) for j in held]
            known = None not in each
            hours = sum((h or Decimal(0) for h in each), Decimal(0))
            spell = Spell(EmploymentStatus.EMPLOYED, day, None, hours if known else None, True)
        elif day == start:
            employed = at_referral == EmploymentStatus.EMPLOYED
            spell = Spell(at_referral, day, None, None, employed)
        else:
            spell = Spell(EmploymentStatus.UNEMPLOYED, day, None, None, False)
        if found and (found[-1].status, found[-1].hours) == (spell.status, spell.hours):
            continue  # one job ends as another begins, at the same hours: one spell
        found.append(spell)
    last = found[-1]
    return [
        Spell(s.status, s.start, nxt.start - timedelta(days=1), s.hours, s.employed)
        for s, nxt in pairwise(found)
    ] + [Spell(last.status, last.start, discharged, last.hours, last.employed) if closes else last]
