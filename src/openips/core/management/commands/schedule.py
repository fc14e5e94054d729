"""`openips schedule`: queue the scheduled jobs that are due (settings.SCHEDULE). A timer calls
it every few minutes (docs/operations.md); runs that overlap queue each job once."""

from typing import Any

from django.core.management.base import BaseCommand

from openips.core.schedule import jobs, queue_due


class Command(BaseCommand):
    help = "Queue the scheduled jobs that are due; workers run them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="Show the schedule and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in jobs():
                self.stdout.write(f"{job.name}\t{job.cron}\t{job.task}")
            return
        for run in queue_due():
            self.stdout.write(f"queued {run.job} (due {run.due_at:%Y-%m-%d %H:%M})")
