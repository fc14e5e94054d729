"""Dates and times as the NHS style guide writes them: 3 March 2025, 2:05pm."""

from datetime import date, datetime

from django.utils import timezone


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{format_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
