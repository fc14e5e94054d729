"""The service and period a command names (`openips report`, `openips mhsds`…), with one set of
messages for a date or service that is not right."""

from datetime import date
from typing import Any

from django.core.management.base import CommandError

from openips.organisations.models import Service
from openips.outcomes.metrics import Period


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date written YYYY-MM-DD") from None


def period_from_options(options: dict[str, Any]) -> Period:
    period = Period(iso_date(options["start"]), iso_date(options["end"]))
    if period.end < period.start:
        raise CommandError("--end must be on or after --start")
    return period


def service_from_options(options: dict[str, Any]) -> Service:
    service = Service.objects.select_related("organisation").filter(code=options["service"]).first()
    if service is None:
        raise CommandError(f"no service with the code {options['service']!r}")
    return service
