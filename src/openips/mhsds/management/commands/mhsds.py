from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.mhsds.extract import to_folder
from openips.outcomes.options import period_from_options, service_from_options


class Command(BaseCommand):
    help = "Write a service's MHSDS v6 extract for a period: one CSV per table, into OUTDIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument("--start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("outdir", type=Path, help="the folder to write the tables into")

    def handle(self, *args: Any, **options: Any) -> None:
        service = service_from_options(options)
        period = period_from_options(options)
        outcome = to_folder(service, period, options["outdir"])
        for finding in outcome.warnings:
            self.stderr.write(f"warning: {finding.message}")
        if outcome.refused:
            for finding in outcome.problems:
                self.stderr.write(f"error: {finding.message}")
            raise CommandError(
                f"the extract was refused: {len(outcome.problems)} mandatory items are missing;"
                " nothing was written"
            )
        for table, count in outcome.rows.items():
            self.stdout.write(f"{table}.csv\t{count} rows")
