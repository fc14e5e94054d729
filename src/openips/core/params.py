"""Dates read from query strings and URLs (`?as_of=`, `?week=`, a return's quarter): one bounded
parser, so a far-past or far-future value is refused before any date arithmetic could overflow,
and a bad value gets the NHS 400 page with a plain message instead of a 500 (ADR 0014)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone

from openips.core.formatting import format_date

# Far enough back for any record, far enough ahead for next week or a planned visit; and years
# away from date.min and date.max, whatever a page adds to or takes from the day it is given.
EARLIEST = date(1900, 1, 1)
AHEAD = timedelta(days=366)


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
