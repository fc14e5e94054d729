"""Dates read from query strings and URLs (`?as_of=`, `?week=`, a return's quarter): one bounded
parser, so a far-past or far-future value is refused before any date arithmetic could overflow,
and a bad value gets the NHS 400 page with a plain message instead of a 500 (ADR 0014)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone

from openips.core.formatting import format_date

# Far enough back for any record, far enough ahead for next week or a planned visit; and years
# away from date.min and date.max, whatever a page adds to or takes from the day it is given.
EARLIEST = date(1900, 1, 1)
AHEAD = timedelta(days=366)

MAX_ID = 2**63 - 1  # the largest id a database row can have


def row_id(raw: str) -> int | None:
    """The id a row could have, as written in an address: ASCII digits, at most 19 of them (so
    int() never reads an absurdly long number), from 1 to MAX_ID. None for anything else."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


class BadParameter(BadRequest):
    """A value in the address that is malformed or out of range: its message, written for the
    person using the page, is shown on the 400 page (core.views.bad_request)."""


def latest() -> date:
    return timezone.localdate() + AHEAD


def bounded(day: date) -> date:
    if not EARLIEST <= day <= latest():
        raise BadParameter(f"Enter a date from {format_date(EARLIEST)} to {format_date(latest())}.")
    return day


def parse_date(text: str) -> date:
    """A date written as year-month-day (2025-03-31), within the bounds."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 (a date, no time)
    except ValueError:
        raise BadParameter("Enter a date as year-month-day, for example 2025-03-31.") from None
    return bounded(day)


def date_param(request: HttpRequest, name: str, default: date) -> date:
    """The query string's `name` as a date within the bounds; `default` when it is absent."""
    text = request.GET.get(name, "").strip()
    return parse_date(text) if text else default


def year_in_bounds(year: int, what: str) -> int:
    """A year (of a quarter, say) whose every day is within the bounds' years."""
    if not EARLIEST.year <= year <= latest().year:
        raise BadParameter(f"Choose {what} in a year from {EARLIEST.year} to {latest().year}.")
    return year


# NHS services report by the financial year, 1 April to 31 March: April to June is its Q1 and
# January to March its Q4. In the address a quarter is written 2026-27-Q1 (a slash cannot sit
# in a path segment); on pages and in returns it is "2026/27 Q1" (ADR 0023).
FINANCIAL_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
CALENDAR_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")  # the older form: calendar year, Q1 = Jan


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of the financial year that begins on 1 April of `year`."""

    year: int
    number: int  # 1 is April to June

    @classmethod
    def containing(cls, day: date) -> Quarter:
        months = (day.month - 4) % 12  # months since April
        return cls(day.year if day.month >= 4 else day.year - 1, months // 3 + 1)

    @property
    def start(self) -> date:
        month = 3 * self.number + 1  # 4, 7, 10, 13
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.following().start - timedelta(days=1)

    def following(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number}"

    @property
    def slug(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"


def _quarter_in_bounds(year: int, number: int) -> Quarter:
    # The calendar year the quarter falls in, checked before any date is made from it.
    year_in_bounds(year + (number == 4), "a quarter")
    return Quarter(year, number)


def parse_quarter(text: str) -> Quarter:
    """A financial-year quarter written 2026-27-Q1, in a year within the bounds."""
    match = FINANCIAL_QUARTER.match(text)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise BadParameter(
            "Choose a quarter of the financial year written as year-year-quarter, for example "
            "2026-27-Q1 for April to June 2026."
        )
    return _quarter_in_bounds(int(match[1]), int(match[3]))


def calendar_quarter(text: str) -> Quarter | None:
    """The financial-year quarter covering the calendar quarter `2025-Q1` (January to March
    2025 is 2024/25 Q4): the same three months, for links made before quarters were named by
    the financial year. None if `text` is not written that way."""
    match = CALENDAR_QUARTER.match(text)
    if not match:
        return None
    year, number = int(match[1]), int(match[2])
    return _quarter_in_bounds(year - 1, 4) if number == 1 else _quarter_in_bounds(year, number - 1)
