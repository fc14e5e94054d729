"""The measures beyond the first job (docs/evidence.md): work held on the 1st, 2nd and 5th
anniversary of acceptance, hospital use in the year before and the year after acceptance, and
paired outcome-measure scores. Pure functions over the facts, like metrics.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openips.clients.measures import MEASURES, reliable_change
from openips.core.dates import add_days
from openips.outcomes.facts import EpisodeFact, JobFact, Score
from openips.outcomes.periods import Period

ANNIVERSARIES = {"1_year": 365, "2_years": 730, "5_years": 1826}  # days after acceptance
OUT_OF_WORK = {"unemployed", "economically_inactive"}
BASELINE_DAYS = 30  # a baseline is completed within this many days of acceptance
FOLLOW_UP_DAYS = 90  # a follow-up at least this long after the baseline


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def in_work_on_anniversary(
    episodes: Iterable[EpisodeFact], by_episode: dict[int, list[JobFact]], p: Period
) -> dict[str, dict[str, Any]]:
    """Of the episodes out of work at referral whose anniversary falls in P (discharged or
    not), those that ever started a job by it, and those holding a competitive job on it."""
    out_of_work = [e for e in episodes if e.status in OUT_OF_WORK and e.accepted]
    found = {}
    for key, days in ANNIVERSARIES.items():
        cohort = ever = held = 0
        for e in out_of_work:
            day = add_days(e.accepted, days)  # type: ignore[arg-type]
            if day not in p:
                continue
            cohort += 1
            jobs = by_episode.get(e.pk, ())
            ever += any(j.start <= day for j in jobs)
            held += any(
                j.competitive and j.start <= day and (j.end is None or j.end >= day) for j in jobs
            )
        found[key] = {
            "cohort": cohort,
            "ever_worked": ever,
            "in_work": held,
            "rate": _rate(held, cohort),
        }
    return found


def bed_days(stays: Iterable[tuple[date, date | None]], first: date, last: date) -> int:
    """The nights in [first, last] spent in hospital: day d of a stay when admission <= d <
    discharge (every day from admission while still in), each day once however many stays
    overlap it. A same-day discharge has none."""
    nights = []
    for admitted, discharged in stays:
        start = max(admitted, first)
        end = last if discharged is None else min(discharged - timedelta(days=1), last)
        if start <= end:
            nights.append((start, end))
    counted, reached = 0, first - timedelta(days=1)  # the last day already counted
    for start, end in sorted(nights):
        start = max(start, reached + timedelta(days=1))
        if start <= end:
            counted += (end - start).days + 1
            reached = end
    return counted


def hospital_use(episodes: Iterable[EpisodeFact], p: Period) -> dict[str, int]:
    """The mirror image: each accepted episode whose first year ends in P, its person's
    mental-health stays in the year before acceptance and in the year from it."""
    found = dict.fromkeys(
        (
            "cohort",
            "bed_days_before",
            "bed_days_during",
            "admissions_before",
            "admissions_during",
            "admitted_before",
            "admitted_during",
        ),
        0,
    )
    for e in episodes:
        if e.accepted is None or add_days(e.accepted, 364) not in p:
            continue
        found["cohort"] += 1
        a = e.accepted
        windows = {
            "before": (add_days(a, -365), add_days(a, -1)),
            "during": (a, add_days(a, 364)),
        }
        for name, (first, last) in windows.items():
            found[f"bed_days_{name}"] += bed_days(e.stays, first, last)
            admitted = sum(first <= admission <= last for admission, _ in e.stays)
            found[f"admissions_{name}"] += admitted
            found[f"admitted_{name}"] += admitted > 0
    return found


def _mean(values: list[Decimal]) -> float | None:
    return float(sum(values) / len(values)) if values else None


def pair(scores: Iterable[Score], accepted: date, p: Period) -> tuple[Score, Score] | None:
    """One measure's baseline and latest for an episode, or None when it has not both. The
    baseline: the earliest within 30 days either side of acceptance (of one day's, the lowest
    measure_id); the latest: the last in P at least 90 days after it (of one day's, the
    highest)."""
    ordered = sorted(scores, key=lambda s: (s.date, s.measure_id))
    near = [s for s in ordered if abs((s.date - accepted).days) <= BASELINE_DAYS]
    if not near:
        return None
    baseline = near[0]
    follow_up = add_days(baseline.date, FOLLOW_UP_DAYS)
    later = [s for s in ordered if s.date in p and s.date >= follow_up]
    return (baseline, later[-1]) if later else None


def measures(episodes: Iterable[EpisodeFact], p: Period) -> dict[str, dict[str, Any]]:
    """For each measure: the episodes with a baseline and a latest score, their mean scores and
    change, and how many changed reliably for the better or the worse (the thresholds of the
    deployment, clients.measures.reliable_change)."""
    accepted = [e for e in episodes if e.accepted is not None and e.scores]
    thresholds = reliable_change()
    found = {}
    for code, measure in MEASURES.items():
        pairs = []
        for e in accepted:
            scored = pair([s for s in e.scores if s.measure == code], e.accepted, p)  # type: ignore[arg-type]
            if scored is not None:
                pairs.append(scored)
        changes = [latest.score - baseline.score for baseline, latest in pairs]
        # Better is up for most measures, down for CORE-10 (distress).
        better = [c if measure.higher_is_better else -c for c in changes]
        found[code] = {
            "paired": len(pairs),
            "mean_baseline": _mean([b.score for b, _ in pairs]),
            "mean_latest": _mean([latest.score for _, latest in pairs]),
            "mean_change": _mean(changes),
            "reliably_improved": sum(b >= thresholds[code] for b in better),
            "reliably_deteriorated": sum(-b >= thresholds[code] for b in better),
        }
    return found
