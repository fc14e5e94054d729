"""A report for any scope of episodes (an ES, a clinical team, a service, an organisation, a
network) and any period, with breakdowns by the groups metrics.md names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from openips.clients.models import Episode
from openips.core.dates import whole_years
from openips.outcomes import disclosure
from openips.outcomes.facts import EpisodeFact, JobFact, episode_facts, job_facts
from openips.outcomes.metrics import Period, metrics_and_bases

NOT_RECORDED = "not recorded"
AGE_BANDS = ((25, "16 to 24"), (35, "25 to 34"), (45, "35 to 44"), (55, "45 to 54"))


def age_band(birth: date | None, on: date) -> str:
    if birth is None:
        return NOT_RECORDED
    age = whole_years(birth, on)
    return next((band for limit, band in AGE_BANDS if age < limit), "55 and over")


BREAKDOWNS: dict[str, Callable[[EpisodeFact], str | None]] = {
    "employment_specialist": lambda e: e.specialist,
    "clinical_team": lambda e: e.team,
    "referral_source": lambda e: e.source,
    "gender": lambda e: e.gender,
    "ethnicity": lambda e: e.ethnicity,
    "age_band": lambda e: age_band(e.birth, e.referral),
    "service": lambda e: e.service,
}


class Facts:
    """The facts of one scope and period, read once and counted as often as needed."""

    def __init__(self, episodes: QuerySet[Episode], period: Period) -> None:
        self.period = period
        self.episodes: list[EpisodeFact] = episode_facts(episodes, period.end)
        self.jobs: list[JobFact] = job_facts(episodes)

    def metrics(self, *, suppress: bool = False) -> dict[str, Any]:
        metrics, bases = metrics_and_bases(self.episodes, self.jobs, self.period)
        return disclosure.protect_metrics(metrics, bases) if suppress else metrics

    def breakdown(self, by: str, *, suppress: bool = False) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[EpisodeFact]] = defaultdict(list)
        for episode in self.episodes:
            groups[BREAKDOWNS[by](episode) or NOT_RECORDED].append(episode)
        jobs: dict[int, list[JobFact]] = defaultdict(list)
        for job in self.jobs:
            jobs[job.episode].append(job)
        found = {}
        for name, members in sorted(groups.items()):
            # Each group's own jobs only: with 150 services, every group scanning every job
            # of the network was most of the cost of a breakdown.
            own = [j for e in members for j in jobs.get(e.pk, ())]
            metrics, bases = metrics_and_bases(members, own, self.period)
            found[name] = disclosure.protect_metrics(metrics, bases) if suppress else metrics
        return found


def report_json(
    episodes: QuerySet[Episode],
    period: Period,
    service: str | None,
    by: Sequence[str] = (),
    *,
    suppress: bool = False,
) -> dict[str, Any]:
    """The machine-readable report of metrics.md, plus any breakdowns asked for."""
    facts = Facts(episodes, period)
    output: dict[str, Any] = {
        "schema": "openips.report/1",
        "service": service,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "metrics": facts.metrics(suppress=suppress),
    }
    if by:
        output["breakdowns"] = {name: facts.breakdown(name, suppress=suppress) for name in by}
    return output


def flat(metrics: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """metric → value rows for CSV: objects become dotted keys."""
    rows: list[tuple[str, Any]] = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            rows += flat(value, f"{prefix}{key}.")
        else:
            rows.append((prefix + key, value))
    return rows
