"""Dates and times as the NHS style guide writes them: 3 March 2025, 2:05pm."""

from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.utils import timezone


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_time(value: time | None) -> str:
    """2:05pm, 9:00am; midday and midnight by name, as the style guide asks."""
    if value is None:
        return ""
    if (value.hour, value.minute) in ((12, 0), (0, 0)):
        return "midday" if value.hour == 12 else "midnight"
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{format_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


NOT_RECORDED = "Not recorded"


def verbose_name(model: type[models.Model], name: str) -> str:
    """What a model field says it holds; the far end of a relation has no such name."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a field of its own")
    return str(field.verbose_name)


def field_label(model: type[models.Model], name: str) -> str:
    label = verbose_name(model, name)
    return label[:1].upper() + label[1:]


def shown_value(obj: Any, name: str) -> str:
    """A field's value as a page shows it: choices by their label, dates in NHS style, a related
    record by its name. What an earlier value in a correction's history reads as (ADR 0020)."""
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, name)
        return str(related) if related is not None else NOT_RECORDED
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return NOT_RECORDED if value in (None, "") else str(value)
