"""A savings estimate for commissioners and service managers (docs/savings.md): the nights in
hospital before and during IPS (`hospital_use`) valued at a sourced unit cost, low, central and
high, and the change in benefits and tax that the better-off-in-work estimates saved on the
episodes of people who started work give. Every figure carries its arithmetic; nothing here is a
single "saved" headline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from openips.benefits.fiscal import FiscalChange, fiscal_change
from openips.benefits.models import Estimate
from openips.casework.models import live_contacts
from openips.clients.models import Episode
from openips.employment.models import Job
from openips.outcomes import disclosure
from openips.outcomes.periods import Period
from openips.outcomes.report import Facts

COSTS_FILE = Path(__file__).with_name("data") / "unit_costs.json"
LEVELS = ("low", "central", "high")
BED_DAY = "mental_health_inpatient_bed_day"


class UnitCostError(ValueError):
    pass


@dataclass(frozen=True)
class Value:
    amount: Decimal
    price_year: str
    source: str  # where the value comes from, named so that a reader can find it


@dataclass(frozen=True)
class Parameter:
    key: str
    name: str
    unit: str
    values: dict[str, Value]  # by level: low, central, high, in that order of amount


def parse(data: Any, where: str) -> dict[str, Parameter]:
    """The file's parameters, each checked: a mistake names its key."""
    found = {}
    for key, p in data["parameters"].items():
        at = f"{where}: {key}"
        missing = {"name", "unit", *LEVELS} - set(p)
        if missing:
            raise UnitCostError(f"{at}: missing {', '.join(sorted(missing))}")
        values = {}
        for level in LEVELS:
            entry = p[level]
            for part in ("value", "price_year", "source"):
                if not str(entry.get(part, "")).strip():
                    raise UnitCostError(f"{at}.{level}: every value needs its {part}")
            try:
                amount = Decimal(str(entry["value"]))
            except ArithmeticError:
                raise UnitCostError(f"{at}.{level}: the value must be a number") from None
            values[level] = Value(amount, entry["price_year"], entry["source"])
        amounts = [values[level].amount for level in LEVELS]
        if amounts != sorted(amounts) or amounts[0] < 0:
            raise UnitCostError(f"{at}: low, central and high must be in order, from 0")
        found[key] = Parameter(key, p["name"], p["unit"], values)
    return found


@cache
def parameters() -> dict[str, Parameter]:
    return parse(json.loads(COSTS_FILE.read_text()), COSTS_FILE.name)


@dataclass(frozen=True)
class Hospital:
    """Nights before and during, and the difference at each level of the bed-day cost."""

    cohort: int | str
    before: int | str
    during: int | str
    cost: Parameter

    @property
    def shown(self) -> bool:
        return isinstance(self.before, int) and isinstance(self.during, int)

    @property
    def fewer_nights(self) -> int:
        return int(self.before) - int(self.during) if self.shown else 0

    def valued(self) -> dict[str, Decimal]:
        return {level: self.fewer_nights * v.amount for level, v in self.cost.values.items()}


@dataclass(frozen=True)
class Purse:
    """The better-off estimates of the people who started work: a year of the job discussed.
    The amounts are None where too few estimates stand behind them to be shown."""

    started: int | str  # episodes with a job start in the period
    estimated: int | str  # of those, with a saved estimate that still works out
    benefits_saved: Decimal | None  # a year, summed
    tax_gained: Decimal | None  # a year, summed


def purse(started: int, changes: list[FiscalChange], *, suppress: bool = False) -> Purse:
    benefits = sum((c.benefits_saved * 12 for c in changes), Decimal(0))
    tax = sum((c.tax_gained * 12 for c in changes), Decimal(0))
    if not suppress:
        return Purse(started, len(changes), benefits, tax)
    r = disclosure.rule()
    # A sum over a handful of people could be traced back to them: withheld below the rule.
    few = len(changes) < r.smallest_denominator
    return Purse(
        r.count(started), r.count(len(changes)), None if few else benefits, None if few else tax
    )


def hospital(use: dict[str, Any]) -> Hospital:
    """From `hospital_use` as a report gives it, exact or with small numbers withheld."""
    return Hospital(
        use["cohort"], use["bed_days_before"], use["bed_days_during"], parameters()[BED_DAY]
    )


@dataclass(frozen=True)
class Savings:
    period: Period
    hospital: Hospital
    purse: Purse
    suppressed: bool  # small numbers withheld, counts rounded: the figures a commissioner sees


def latest_estimates(episodes: QuerySet[Episode], period: Period) -> list[Estimate]:
    """The latest saved estimate of each episode with a job start in the period (one query)."""
    started = Job.objects.starts().filter(
        episode__in=episodes.order_by().values("pk"), start_date__range=(period.start, period.end)
    )
    found: dict[int, Estimate] = {}
    # An estimate whose contact was deleted as recorded by mistake no longer counts.
    estimates = Estimate.objects.filter(live_contacts("contact")).filter(
        episode__in=started.values("episode_id")
    )
    for e in estimates.select_related("contact").order_by("created_at", "pk"):
        found[e.episode_id] = e  # the latest comes last
    return list(found.values())


def build(episodes: QuerySet[Episode], period: Period, *, suppress: bool = False) -> Savings:
    facts = Facts(episodes, period)
    metrics = facts.metrics(suppress=suppress)
    started = {j.episode for j in facts.jobs if period.start <= j.start <= period.end}
    changes = [c for e in latest_estimates(episodes, period) if (c := fiscal_change(e))]
    found = purse(len(started), changes, suppress=suppress)
    return Savings(period, hospital(metrics["hospital_use"]), found, suppress)
