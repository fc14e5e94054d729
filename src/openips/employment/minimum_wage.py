"""The National Living Wage and National Minimum Wage as dated data (data/minimum_wage.json):
the least hourly pay a job outcome may have (job_outcome.py). Pure Python, read once."""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

RATES_FILE = Path(__file__).with_name("data") / "minimum_wage.json"


@dataclass(frozen=True)
class Rates:
    starts: date
    bands: tuple[tuple[int, Decimal], ...]  # (lowest age, rate), the oldest band first


@cache
def table() -> tuple[Rates, ...]:
    """The file's rows, earliest first."""
    rows = json.loads(RATES_FILE.read_text())["rows"]
    found = [
        Rates(
            date.fromisoformat(row["from"]),
            tuple(sorted(((int(k), Decimal(v)) for k, v in row["rates"].items()), reverse=True)),
        )
        for row in rows
    ]
    return tuple(sorted(found, key=lambda r: r.starts))


@cache
def _starts() -> list[date]:
    return [r.starts for r in table()]


def minimum_rate(day: date, age: int | None) -> Decimal:
    """The rate in force on `day` for someone of `age` whole years then; with no age known,
    the top rate. A day before the first row takes the first row's rates."""
    rates = table()[max(bisect_right(_starts(), day) - 1, 0)]
    if age is None:
        return rates.bands[0][1]
    # The youngest band has no lower limit that matters: a wrongly recorded birth after the
    # job's start still finds a rate.
    return next((rate for lowest, rate in rates.bands if lowest <= age), rates.bands[-1][1])
