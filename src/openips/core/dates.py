"""Date arithmetic that cannot overflow. New dates are bounded where they enter (core.rules),
but rows stored before those rules, or written around them, may hold anything a DateField can:
a report must still answer, so a sum past the calendar's end stops at its end."""

from __future__ import annotations

from datetime import date, timedelta


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, held at date.min or date.max instead of raising OverflowError."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February), held at the calendar's ends."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def whole_years(born: date, on: date) -> int:
    """Age in whole years on `on` (someone born on 29 February is a year older on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
