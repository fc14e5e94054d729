"""The messaging's background work, for the schedule (`openips schedule`) or a worker to run.
Each is safe to run twice, or twice at once: a message is claimed before it is sent."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from openips.messaging import reminders, summaries


@task()
def send_appointment_reminders() -> int:
    """Remind clients of tomorrow's planned appointments (tomorrow in England)."""
    return reminders.send_reminders(timezone.localdate() + timedelta(days=1))


@task()
def send_weekly_summaries() -> int:
    """This ISO week's caseload summary to each specialist and team leader, once."""
    return summaries.send_summaries(timezone.localdate())
