"""Funnel plots for comparing units (ES, services) without a league table: each unit's rate
against its denominator, with binomial control limits around the overall rate."""

from __future__ import annotations

from dataclasses import dataclass

LIMITS = {"95%": 0.95, "99.8%": 0.998}


@dataclass(frozen=True)
class Unit:
    name: str
    events: int
    total: int

    @property
    def rate(self) -> float:
        return self.events / self.total


@dataclass(frozen=True)
class Placed:
    unit: Unit
    lower95: float
    upper95: float
    lower998: float
    upper998: float

    @property
    def outside(self) -> str:
        r = self.unit.rate
        if r > self.upper998 or r < self.lower998:
            return "Outside 99.8% limits: worth a conversation"
        if r > self.upper95 or r < self.lower95:
            return "Outside 95% limits"
        return "Within limits: consistent with chance"


def limits(p: float, n: int, coverage: float) -> tuple[float, float]:
    """Exact binomial quantiles of the count at n, as rates."""
    tail = (1 - coverage) / 2
    # On first use: commands and workers start without it.
    from scipy.stats import binom

    return float(binom.ppf(tail, n, p)) / n, float(binom.ppf(1 - tail, n, p)) / n


def place(units: list[Unit]) -> tuple[float | None, list[Placed]]:
    """The overall rate and each unit with the limits at its denominator."""
    counted = [u for u in units if u.total > 0]
    total = sum(u.total for u in counted)
    if not total:
        return None, []
    p = sum(u.events for u in counted) / total
    placed = []
    for u in counted:
        lo95, hi95 = limits(p, u.total, LIMITS["95%"])
        lo998, hi998 = limits(p, u.total, LIMITS["99.8%"])
        placed.append(Placed(u, lo95, hi95, lo998, hi998))
    return p, placed


def curve(p: float, n_max: int, coverage: float, steps: int = 40) -> list[tuple[int, float, float]]:
    """Limit lines for drawing: (n, lower, upper) from n = 1 to n_max."""
    points = sorted({max(1, round(n_max * k / steps)) for k in range(steps + 1)})
    return [(n, *limits(p, n, coverage)) for n in points]
