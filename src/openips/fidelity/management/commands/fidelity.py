import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.fidelity.estimates import fidelity_json
from openips.organisations.models import Service
from openips.outcomes.options import iso_date


class Command(BaseCommand):
    help = "Data-derived fidelity estimates (the definitions of ADR 0008) for one service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument("--as-of", required=True, help="the date, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = iso_date(options["as_of"])
        service = Service.objects.filter(code=options["service"]).first()
        if service is None:
            raise CommandError(f"no service with the code {options['service']!r}")
        self.stdout.write(json.dumps(fidelity_json(service, as_of), indent=1, sort_keys=True))
