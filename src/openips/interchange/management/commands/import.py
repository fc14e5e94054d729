import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openips.interchange.importer import import_folder


class Command(BaseCommand):
    help = "Import a folder in the OpenIPS interchange format into one service (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="a folder of interchange CSV files, or an .xlsx workbook"
        )
        parser.add_argument("--service", required=True, help="the service's code; created if new")
        parser.add_argument("--organisation", help="the organisation of a new service")

    def handle(
        self, *args: Any, path: Path, service: str, organisation: str | None, **options: Any
    ) -> None:
        if not (path.is_dir() or (path.is_file() and path.suffix.lower() == ".xlsx")):
            raise CommandError(
                f"{path}: not a folder of interchange CSV files or an .xlsx workbook"
            )

        def progress(table: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r{table:<10} [{bar}] {done}/{total} rows{end}")
            sys.stderr.flush()

        outcome = import_folder(path, service, organisation=organisation, progress=progress)
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            if outcome.more_problems:  # only the first OPENIPS_IMPORT_MAX_PROBLEMS are kept
                self.stderr.write(f"… and {outcome.more_problems:,} more problems")
            total = len(outcome.problems) + outcome.more_problems
            raise CommandError(f"{total:,} problems found; nothing was imported")
        for table in outcome.created:
            self.stdout.write(
                f"{table}: {outcome.created[table]} created, {outcome.updated[table]} updated, "
                f"{outcome.unchanged[table]} unchanged"
            )
