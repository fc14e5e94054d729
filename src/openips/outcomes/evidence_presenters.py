"""The measures beyond the first job (outcomes/evidence.py) as tables: work on the
anniversaries of acceptance, hospital use before and during IPS, paired outcome measures.
Each takes a report's metrics, exact or with small numbers withheld ("*")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openips.clients.measures import MEASURES
from openips.outcomes.evidence import ANNIVERSARIES
from openips.outcomes.presenters import count

YEARS = {"1_year": "1 year", "2_years": "2 years", "5_years": "5 years"}


def _share(value: float | str | None) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:.0%}"


def _mean(value: float | str | None) -> str:
    if value is None:
        return "–"
    return value if isinstance(value, str) else f"{value:,.1f}"


@dataclass(frozen=True)
class AnniversaryRow:
    after: str
    cohort: str
    ever_worked: str
    in_work: str
    rate: str


def anniversaries(metrics: dict[str, Any]) -> list[AnniversaryRow]:
    found = metrics["in_work_on_anniversary"]
    return [
        AnniversaryRow(
            YEARS[key],
            count(found[key]["cohort"]),
            count(found[key]["ever_worked"]),
            count(found[key]["in_work"]),
            _share(found[key]["rate"]),
        )
        for key in ANNIVERSARIES
    ]


@dataclass(frozen=True)
class HospitalRow:
    year: str
    admitted: str  # people admitted
    admissions: str
    bed_days: str


def hospital(metrics: dict[str, Any]) -> tuple[str, list[HospitalRow]]:
    """The cohort, and a row for the year before acceptance and the year from it."""
    use = metrics["hospital_use"]
    rows = [
        HospitalRow(
            label,
            count(use[f"admitted_{key}"]),
            count(use[f"admissions_{key}"]),
            count(use[f"bed_days_{key}"]),
        )
        for key, label in (("before", "The year before"), ("during", "The year from acceptance"))
    ]
    return count(use["cohort"]), rows


@dataclass(frozen=True)
class MeasureRow:
    name: str
    better: str  # which way is better
    paired: str
    baseline: str
    latest: str
    change: str
    improved: str
    deteriorated: str


def measures(metrics: dict[str, Any]) -> list[MeasureRow]:
    found = metrics["measures"]
    return [
        MeasureRow(
            m.name,
            "higher" if m.higher_is_better else "lower",
            count(found[code]["paired"]),
            _mean(found[code]["mean_baseline"]),
            _mean(found[code]["mean_latest"]),
            _mean(found[code]["mean_change"]),
            count(found[code]["reliably_improved"]),
            count(found[code]["reliably_deteriorated"]),
        )
        for code, m in MEASURES.items()
    ]


def anniversary_series(
    metrics: dict[str, Any],
) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """For the chart: (years, share in work that day) and (years, share who had worked), for
    each anniversary someone has reached."""
    found = metrics["in_work_on_anniversary"]
    in_work, worked = [], []
    for key, days in ANNIVERSARIES.items():
        each = found[key]
        if isinstance(each["cohort"], int) and each["cohort"] and isinstance(each["rate"], float):
            years = round(days / 365)
            in_work.append((years, each["rate"]))
            worked.append((years, each["ever_worked"] / each["cohort"]))
    return in_work, worked
