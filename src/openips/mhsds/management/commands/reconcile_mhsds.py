from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.mhsds.reconcile import reconcile
from openips.outcomes.options import period_from_options, service_from_options


class Command(BaseCommand):
    help = (
        "Set the access count from a service's MHSDS extract beside OpenIPS's first_contacts and"
        " the returns for the same period, listing any difference record by record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument("--start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day of the period, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        found = reconcile(service_from_options(options), period_from_options(options))
        if found.outcome.refused:
            for finding in found.outcome.problems:
                self.stderr.write(f"error: {finding.message}")
            raise CommandError("the extract is refused, so there is nothing to reconcile")
        self.stdout.write("measure\textract\topenips\treturn")
        for line in found.lines:
            self.stdout.write(
                f"{line.measure}\t{len(line.extract)}\t{len(line.openips)}\t{line.returned}"
            )
            for ref in line.only_in_extract:
                self.stdout.write(f"  only in the extract: {ref}")
            for ref in line.only_in_openips:
                self.stdout.write(f"  only in OpenIPS: {ref}")
        if not found.agrees:
            raise CommandError("the figures differ: see the records listed")
        self.stdout.write("The figures agree.")
