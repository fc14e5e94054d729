"""The rules a stored value keeps, whichever way it comes in. Each rule is a validator on the
model field (ADR 0016); the web forms, the API and the interchange import all run those same
validators, so a value one of them refuses, the others refuse too.

Messages say what is wrong after the name of the field or column: each way in names it in its
own style ("Date of the contact must be today or in the past" on a form, `contacts.csv:4: date:
must be today or in the past` from an import, `{"loc": ["body", "date"], "msg": ...}` from the
API). `LABELLED` lists the codes of messages that need that name in front of them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import nhs_number
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from openips.core.dates import add_days

EARLIEST = date(1900, 1, 1)
PLANNED_DAYS_AHEAD = 366  # a planned date (a job start, a review visit) at most a year ahead
# C0 and C1 controls (tab, CR and LF among them), Unicode line breaks, bidirectional overrides
LINE_BREAK_OR_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

TOO_EARLY, TOO_LATE, OUT_OF_RANGE, ONE_LINE, NOT_AN_ID, NOT_AN_NHS_NUMBER, PATTERN = (
    "too_early",
    "too_late",
    "out_of_range",
    "one_line",
    "identifier",
    "nhs_number",
    "pattern",
)
LABELLED = frozenset(
    {TOO_EARLY, TOO_LATE, OUT_OF_RANGE, ONE_LINE, NOT_AN_ID, NOT_AN_NHS_NUMBER, PATTERN}
)


@deconstructible
class DateRange:
    """Not before 1900; a date that has happened not after today, a planned one at most a
    year ahead. Today is the service's (Europe/London), read when the value is checked."""

    def __init__(self, *, planned: bool = False) -> None:
        self.planned = planned

    def latest(self) -> date:
        # The settings' zone, not the request's: and cheaper than localdate() per imported cell.
        today = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        return add_days(today, PLANNED_DAYS_AHEAD) if self.planned else today

    def __call__(self, value: date) -> None:
        if value < EARLIEST:
            raise ValidationError("must be in 1900 or later", code=TOO_EARLY)
        if value > self.latest():
            message = (
                "must be no more than a year from today"
                if self.planned
                else "must be today or in the past"
            )
            raise ValidationError(message, code=TOO_LATE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and other.planned == self.planned

    def __hash__(self) -> int:
        return hash(self.planned)


@deconstructible
class Between:
    """A number from `low` to `high`, both included unless `above` (more than `low`)."""

    def __init__(self, low: int | Decimal, high: int | Decimal, *, above: bool = False) -> None:
        self.low, self.high, self.above = low, high, above

    def __call__(self, value: Any) -> None:
        low_ok = value > self.low if self.above else value >= self.low
        if not (low_ok and value <= self.high):
            message = (
                f"must be more than {self.low} and at most {self.high}"
                if self.above
                else f"must be between {self.low} and {self.high}"
            )
            raise ValidationError(message, code=OUT_OF_RANGE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Between) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.low, self.high, self.above)


@deconstructible
class OneLine:
    """One line of text: no line breaks, tabs or other control characters, which would split a
    row of an exported file or hide part of a name."""

    def __call__(self, value: str) -> None:
        if LINE_BREAK_OR_CONTROL.search(value):
            raise ValidationError(
                "must be on one line, without line breaks, tabs or control characters",
                code=ONE_LINE,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OneLine)

    def __hash__(self) -> int:
        return hash(OneLine)


@deconstructible
class Identifier:
    """A record's id (client_id, episode_id …): it names downloaded files and appears in
    references, so only ASCII letters, digits, hyphens and underscores."""

    def __call__(self, value: str) -> None:
        if not IDENTIFIER.fullmatch(value):
            raise ValidationError(
                "must be letters, digits, hyphens or underscores, starting with a letter or digit",
                code=NOT_AN_ID,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identifier)

    def __hash__(self) -> int:
        return hash(Identifier)


@deconstructible
class NhsNumber:
    """10 digits, as stored (without spaces), passing the modulus-11 check digit."""

    def __call__(self, value: str) -> None:
        if not (len(value) == 10 and value.isascii() and value.isdigit()):
            raise ValidationError("must be 10 digits", code=NOT_AN_NHS_NUMBER)
        if not nhs_number.is_valid(value):
            raise ValidationError(
                "is not a valid NHS number: check the digits", code=NOT_AN_NHS_NUMBER
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NhsNumber)

    def __hash__(self) -> int:
        return hash(NhsNumber)


def pattern(regex: str, message: str) -> RegexValidator:
    """Text matching `regex` whole (anchor it with \\A and \\Z: `$` lets a final line break
    through)."""
    return RegexValidator(regex, message, code=PATTERN)


HAPPENED = DateRange()
PHONE = pattern(r"\A\+?[0-9][0-9 ()-]{5,28}\Z", "must be a phone number, like 0115 123 4567")
PLANNED = DateRange(planned=True)
TEXT = OneLine()
ID = Identifier()
HOURS_PER_WEEK = Between(0, 100)
HOURLY_PAY = Between(0, 1000)
MINUTES = Between(0, 24 * 60)
FTE = Between(0, 1, above=True)


def declared(model: type[models.Model], name: str) -> list[Any]:
    """The rules declared on a model field, for a form field that enters the same value."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field")
    # Declared ones only (what the field's deconstruction names, as a migration would): the form
    # field adds its own length and number-size checks.
    _, _, _, arguments = field.deconstruct()
    return list(arguments.get("validators", []))
