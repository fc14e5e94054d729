"""Small-number disclosure control for aggregate views and exports (metrics.md): one central
rule, by default NHS Digital's for sub-national figures, with secondary suppression so that a
withheld cell cannot be recovered by subtracting the shown cells from a shown total."""

from __future__ import annotations

from dataclasses import dataclass
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
    value: float | None, numerator: int | str, denominator: int | str, raw_denominator: int, r: Rule
) -> float | str | None:
    """A rate or median is withheld when its denominator is small or a count it comes from is."""
    if value is None:
        return None
    if WITHHELD in (numerator, denominator) or raw_denominator < r.smallest_denominator:
        return WITHHELD
    return value


def protect_table(
    rows: list[dict[str, Any]],
    total: dict[str, Any],
    counts: list[str],
    rates: dict[str, tuple[str, str]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A table of units (rows) with a total row: every count column protected, then every rate
    column (rate → (numerator column, denominator column)) withheld where its counts are."""
    r = rule()
    out_rows = [dict(row) for row in rows]
    out_total = dict(total)
    for column in counts:
        cells, shown_total = protect_column([row[column] for row in rows], total[column], r)
        for row, cell in zip(out_rows, cells, strict=True):
            row[column] = cell
        out_total[column] = shown_total
    for column, (numerator, denominator) in rates.items():
        for raw, shown in [*zip(rows, out_rows, strict=True), (total, out_total)]:
            shown[column] = protect_rate(
                raw[column], shown[numerator], shown[denominator], raw[denominator], r
            )
    return out_rows, out_total


def protect_metrics(metrics: dict[str, Any], bases: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """A report's metrics (metrics.md) with the rule applied: counts withheld or rounded; rates,
    means and medians withheld when what they rest on is small or withheld."""
    r = rule()
    shown: dict[str, Any] = {}
    for key, value in metrics.items():
        if isinstance(value, dict) and "cohort" in value:
            cohort, kept = r.count(value["cohort"]), r.count(value["sustained"])
            shown[key] = {
                "cohort": cohort,
                "sustained": kept,
                "rate": protect_rate(value["rate"], kept, cohort, value["cohort"], r),
            }
        elif isinstance(value, dict):
            episodes, contacted = r.count(value["episodes"]), r.count(value["contacted"])
            shown[key] = {
                "episodes": episodes,
                "contacted": contacted,
                **{
                    k: protect_rate(value[k], contacted, contacted, value["contacted"], r)
                    for k in ("mean", "median")
                },
            }
        elif key in bases:
            numerator, denominator = bases[key]
            shown[key] = protect_rate(
                value, r.count(numerator), r.count(denominator), denominator, r
            )
        else:
            shown[key] = r.count(value)
    return shown
