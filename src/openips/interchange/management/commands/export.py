from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.interchange.exporter import export_folder, export_workbook
from openips.organisations.models import Service


class Command(BaseCommand):
    help = "Export one service in the OpenIPS interchange format (a folder of CSV files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the folder to write the CSV files into")
        parser.add_argument("--service", required=True, help="the service's code")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            default="csv",
            help="csv: a folder of CSV files; xlsx: one workbook at PATH",
        )

    def handle(self, *args: Any, path: Path, service: str, format: str, **options: Any) -> None:
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise CommandError(f"no service with the code {service!r}")
        export = export_workbook if format == "xlsx" else export_folder
        for table, count in export(found, path).items():
            self.stdout.write(f"{table}.csv: {count} rows")
