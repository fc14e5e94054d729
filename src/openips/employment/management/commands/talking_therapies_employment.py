from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.employment.talking_therapies import to_file
from openips.organisations.models import Service


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date written YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Write a service's NHS Talking Therapies employment records of a period (by the date "
        "each was recorded) as a CSV in the data set's field names and codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument("--start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("outfile", type=Path, help="the CSV file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["start"]), _day(options["end"])
        if end < start:
            raise CommandError("--end must be on or after --start")
        service = Service.objects.filter(code=options["service"]).first()
        if service is None:
            raise CommandError(f"no service with the code {options['service']!r}")
        count = to_file(service, start, end, options["outfile"])
        self.stdout.write(f"{options['outfile']}\t{count} rows")
