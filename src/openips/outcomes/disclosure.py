"""Small-number disclosure control for aggregate views and exports (metrics.md): one central
rule, by default NHS Digital's for sub-national figures, with secondary suppression so that a
withheld cell cannot be recovered by subtracting the shown cells from a shown total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Number
from types import MappingProxyType
from typing import Any

from django.conf import settings

WITHHELD = "*"


@dataclass(frozen=True)
class Rule:
    smallest_shown: int = 8  # counts 1..smallest_shown-1 are withheld; 0 stays 0
    rounding: int = 5
    smallest_denominator: int = 8

    def count(self, n: int) -> int | str:
        if n == 0:
            return 0
        if n < self.smallest_shown:
            return WITHHELD
        return (n + self.rounding // 2) // self.rounding * self.rounding


def rule() -> Rule:
    return Rule(**getattr(settings, "DISCLOSURE_CONTROL", {}))


def protect_column(values: list[int], total: int, r: Rule) -> tuple[list[int | str], int | str]:
    """Cells of one column that add up to `total`, as shown. When exactly one cell is withheld,
    the next smallest non-zero cell is withheld too (or, if there is none, the total)."""
    shown: list[int | str] = [r.count(v) for v in values]
    shown_total: int | str = r.count(total)
    withheld = [i for i, s in enumerate(shown) if s == WITHHELD]
    if len(withheld) == 1 and shown_total != WITHHELD:
        others = sorted((v, i) for i, v in enumerate(values) if shown[i] != WITHHELD and v > 0)
        if others:
            shown[others[0][1]] = WITHHELD
        else:
            shown_total = WITHHELD
    return shown, shown_total


def protect_rate(
    numerator: int | str, denominator: int | str, raw_denominator: int, r: Rule
) -> float | str | None:
    """A rate as a suppressed audience sees it: withheld when its denominator is small or a
    count it comes from is withheld, and otherwise worked out from the counts as shown. A rate
    from the exact counts would give them away: 21/22 beside "20 of 20" names both (ADR 0014)."""
    if raw_denominator == 0:
        return None
    if WITHHELD in (numerator, denominator) or raw_denominator < r.smallest_denominator:
        return WITHHELD
    return int(numerator) / int(denominator)


def protect_statistic(value: float | None, raw_base: int, r: Rule) -> float | str | None:
    """A mean or median, withheld when it rests on fewer people than a rate may."""
    if value is None:
        return None
    if raw_base < r.smallest_denominator or r.count(raw_base) == WITHHELD:
        return WITHHELD
    return value


Cell = int | float | str | None


@dataclass(frozen=True)
class Protected:
    """A table as a suppressed audience may see it, made only by protect_table: each count
    withheld or rounded, each rate from the shown counts. It holds no exact figure, so nothing
    drawn or written from it (a chart, a title, a download) can reveal one."""

    rows: tuple[Mapping[str, Cell], ...]
    total: Mapping[str, Cell]

    def shown_counts(self, numerator: str, denominator: str) -> list[tuple[int, int] | None]:
        """Each row's (numerator, denominator) as shown, or None where either is withheld."""
        found: list[tuple[int, int] | None] = []
        for row in self.rows:
            n, d = row[numerator], row[denominator]
            found.append((n, d) if isinstance(n, int) and isinstance(d, int) else None)
        return found


def protect_table(
    rows: list[dict[str, Any]],
    total: dict[str, Any],
    counts: list[str],
    rates: dict[str, tuple[str, str]],
) -> Protected:
    """A table of units (rows) with a total row: every count column protected, then every rate
    column (rate → (numerator column, denominator column)) worked out from the shown counts.
    Any other column passes through only if it is not a number, so a count left undeclared is
    refused rather than shown exact."""
    r = rule()
    declared = {*counts, *rates}
    for row in [*rows, total]:
        for column, value in row.items():
            if column not in declared and isinstance(value, Number) and not isinstance(value, bool):
                raise ValueError(f"{column} is a number but neither a count nor a rate")
    out_rows = [{k: v for k, v in row.items() if k not in declared} for row in rows]
    out_total = {k: v for k, v in total.items() if k not in declared}
    for column in counts:
        cells, shown_total = protect_column([row[column] for row in rows], total[column], r)
        for row, cell in zip(out_rows, cells, strict=True):
            row[column] = cell
        out_total[column] = shown_total
    for column, (numerator, denominator) in rates.items():
        for raw, shown in [*zip(rows, out_rows, strict=True), (total, out_total)]:
            shown[column] = protect_rate(shown[numerator], shown[denominator], raw[denominator], r)
    return Protected(tuple(MappingProxyType(row) for row in out_rows), MappingProxyType(out_total))


def protect_metrics(metrics: dict[str, Any], bases: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """A report's metrics (metrics.md) with the rule applied: counts withheld or rounded; rates
    from the shown counts; means and medians withheld when what they rest on is small."""
    r = rule()
    shown: dict[str, Any] = {}
    for key, value in metrics.items():
        if key in ("job_retention", "in_work_on_anniversary"):  # a cohort per anniversary
            shown[key] = {}
            for anniversary, each in value.items():
                counted = {k: r.count(v) for k, v in each.items() if k != "rate"}
                shown[key][anniversary] = counted | {
                    "rate": protect_rate(counted["in_work"], counted["cohort"], each["cohort"], r)
                }
        elif key == "hospital_use":  # counts of people, stays and nights
            # The nights of a handful of people are theirs: all withheld with the cohort.
            few = r.count(value["cohort"]) == WITHHELD
            shown[key] = {k: WITHHELD if few else r.count(v) for k, v in value.items()}
        elif key == "measures":  # per measure: counts, and means of the paired episodes
            shown[key] = {
                code: {
                    k: protect_statistic(v, each["paired"], r)
                    if k.startswith("mean_")
                    else r.count(v)
                    for k, v in each.items()
                }
                for code, each in value.items()
            }
        elif isinstance(value, dict) and "cohort" in value:
            cohort, kept = r.count(value["cohort"]), r.count(value["sustained"])
            shown[key] = {
                "cohort": cohort,
                "sustained": kept,
                "rate": protect_rate(kept, cohort, value["cohort"], r),
            }
        elif isinstance(value, dict) and "outcomes" in value:  # job_outcomes
            shown[key] = {
                "outcomes": r.count(value["outcomes"]),
                "outcomes_16_hours": r.count(value["outcomes_16_hours"]),
                "median_days_from_acceptance": protect_statistic(
                    value["median_days_from_acceptance"], bases[key][1], r
                ),
            }
        elif isinstance(value, dict):
            episodes, contacted = r.count(value["episodes"]), r.count(value["contacted"])
            shown[key] = {
                "episodes": episodes,
                "contacted": contacted,
                **{
                    k: protect_statistic(value[k], value["contacted"], r)
                    for k in ("mean", "median")
                },
            }
        elif key in bases and key.endswith("_median"):
            shown[key] = protect_statistic(value, bases[key][1], r)
        elif key in bases:  # a rate (anything else in bases is taken as one: the safe way round)
            numerator, denominator = bases[key]
            shown[key] = protect_rate(r.count(numerator), r.count(denominator), denominator, r)
        else:
            shown[key] = r.count(value)
    return shown
