"""`openips retention`: who is past the retention period and would be anonymised (a dry run),
or, with --apply, anonymise them now, as the nightly schedule does."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from openips.governance import retention


class Command(BaseCommand):
    help = "List the people past the retention period; --apply anonymises them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--apply", action="store_true", help="Anonymise them (audited).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        people = retention.anonymise_due(today) if options["apply"] else retention.due(today)
        verb = "anonymised" if options["apply"] else "would be anonymised"
        for person in people:
            self.stdout.write(
                f"{person.service}\t{person.client_id}\tlast discharged {person.last_discharge}"
            )
        self.stdout.write(f"{len(people)} {'person' if len(people) == 1 else 'people'} {verb}")
