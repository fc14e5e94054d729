"""The client-reported outcome measures a service records, by their totals only: never the
questions, which their owners license (a site that holds a licence enters or imports the
scores). Each measure's valid range, its direction and its default reliable change, as data;
the thresholds a deployment uses are a setting (RELIABLE_CHANGE, from OPENIPS_RELIABLE_CHANGE)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from openips.clients.codes import MeasureCode


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    low: Decimal
    high: Decimal
    whole: bool  # a whole-number total; else up to two decimal places
    higher_is_better: bool
    reliable_change: Decimal  # the default threshold of a reliable change
    scoring: str  # what the score is, as the form's hint says it


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            MeasureCode.REQOL_10,
            "ReQoL-10",
            Decimal(0),
            Decimal(40),
            True,
            True,
            Decimal(5),
            "The total of its 10 items, a whole number from 0 to 40; higher is better",
        ),
        Measure(
            MeasureCode.SWEMWBS,
            "SWEMWBS",
            Decimal(7),
            Decimal(35),
            False,
            True,
            Decimal(3),
            "The metric score from the conversion table, 7 to 35 with up to 2 decimal places; "
            "higher is better",
        ),
        Measure(
            MeasureCode.CORE_10,
            "CORE-10",
            Decimal(0),
            Decimal(40),
            True,
            False,
            Decimal(6),
            "The total of its 10 items, a whole number from 0 to 40; lower is better",
        ),
        Measure(
            MeasureCode.DIALOG,
            "DIALOG",
            Decimal(1),
            Decimal(7),
            False,
            True,
            Decimal(1),
            "The mean of the 8 life-domain items, 1 to 7 with up to 2 decimal places; "
            "higher is better",
        ),
    )
}


def score_problem(code: str, score: Decimal) -> str | None:
    """Why `score` is not a valid total of measure `code`, or None when it is."""
    m = MEASURES[code]
    if m.whole and score != score.to_integral_value():
        return f"must be a whole number for {m.name}"
    if not m.low <= score <= m.high:
        return f"must be between {m.low} and {m.high} for {m.name}"
    if score != score.quantize(Decimal("0.01")):
        return f"must have at most 2 decimal places for {m.name}"
    return None


def check_settings() -> None:
    unknown = sorted(set(settings.RELIABLE_CHANGE) - set(MEASURES))
    if unknown:
        raise ImproperlyConfigured(
            f"OPENIPS_RELIABLE_CHANGE: {', '.join(unknown)} is not a measure; use "
            + ", ".join(MEASURES)
        )


def reliable_change() -> dict[str, Decimal]:
    """Each measure's reliable-change threshold: the deployment's, else the default."""
    chosen = settings.RELIABLE_CHANGE
    return {code: Decimal(chosen.get(code, m.reliable_change)) for code, m in MEASURES.items()}
