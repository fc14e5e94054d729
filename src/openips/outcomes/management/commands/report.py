import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.clients.models import Episode
from openips.organisations.models import Network
from openips.outcomes.options import period_from_options, service_from_options
from openips.outcomes.report import BREAKDOWNS, flat, report_json


class Command(BaseCommand):
    help = "Outcome metrics (the definitions of ADR 0008) for a service or the whole network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", help="a service's code; without it, the whole network")
        parser.add_argument("--network", help="a network's code, when there are several")
        parser.add_argument("--start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--suppress",
            action="store_true",
            help="apply the small-number disclosure control (for sharing outside the service)",
        )
        parser.add_argument(
            "--by", action="append", choices=sorted(BREAKDOWNS), default=[], help="a breakdown"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_from_options(options)
        episodes = Episode.objects.all()
        code = options["service"]
        if code:
            episodes = episodes.filter(service=service_from_options(options))
        elif options["network"]:
            network = Network.objects.filter(code=options["network"]).first()
            if network is None:
                raise CommandError(f"no network with the code {options['network']!r}")
            episodes = episodes.filter(service__organisation__network=network)
        output = report_json(episodes, period, code, options["by"], suppress=options["suppress"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(output, indent=1, sort_keys=True))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["group", "metric", "value"])
        for metric, value in flat(output["metrics"]):
            writer.writerow(["all", metric, "" if value is None else value])
        for by, groups in output.get("breakdowns", {}).items():
            for name, metrics in groups.items():
                for metric, value in flat(metrics):
                    writer.writerow([f"{by}={name}", metric, "" if value is None else value])
