"""What the extract reads: the service's referrals open at any time in the period or with a
contact in it, and for each, its care contacts and jobs up to the period's end. A referral's
whole history to date travels with it, so whether its first direct contact falls in the period
can be judged from the extract alone."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet

from openips.casework.codes import ContactWith
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Job, JobChange
from openips.organisations.models import Service
from openips.outcomes.metrics import Period

CHUNK = 5000


def referrals(service: Service, period: Period) -> QuerySet[Episode]:
    care_in_period = Contact.objects.filter(
        episode=OuterRef("pk"),
        contact_with=ContactWith.CLIENT,
        date__range=(period.start, period.end),
    )
    open_in_period = Q(discharge_date__isnull=True) | Q(discharge_date__gte=period.start)
    return Episode.objects.filter(service=service, referral_date__lte=period.end).filter(
        open_in_period | Exists(care_in_period)
    )


def people(episodes: QuerySet[Episode]) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=episodes.values("person_id")).order_by("client_id")


def care_contacts(episodes: QuerySet[Episode], period: Period) -> Iterator[Contact]:
    """Contacts with the client (an employer or a colleague is not a care contact)."""
    contacts = (
        Contact.objects.filter(
            episode__in=episodes.values("pk"),
            contact_with=ContactWith.CLIENT,
            date__lte=period.end,
        )
        .select_related("episode")
        .order_by("date", "contact_id")
    )
    return contacts.iterator(chunk_size=CHUNK)


def jobs_by_episode(episodes: QuerySet[Episode], period: Period) -> dict[int, list[Job]]:
    """Confirmed job starts up to the period's end (an unconfirmed start counts nowhere)."""
    found: dict[int, list[Job]] = {}
    jobs = Job.objects.filter(
        episode__in=episodes.values("pk"), start_confirmed=True, start_date__lte=period.end
    ).order_by("start_date", "pk")
    for job in jobs.iterator(chunk_size=CHUNK):
        found.setdefault(job.episode_id, []).append(job)
    return found


def care_contact_count(episodes: QuerySet[Episode], period: Period) -> int:
    return Contact.objects.filter(
        episode__in=episodes.values("pk"), contact_with=ContactWith.CLIENT, date__lte=period.end
    ).count()


def hours_changes(episodes: QuerySet[Episode], period: Period) -> dict[int, list[JobChange]]:
    """Each job's changes of hours up to the period's end, oldest first, keyed by job."""
    found: dict[int, list[JobChange]] = {}
    changes = JobChange.objects.filter(
        job__episode__in=episodes.values("pk"),
        job__start_confirmed=True,
        effective_date__lte=period.end,
    ).order_by("effective_date", "pk")
    for change in changes.iterator(chunk_size=CHUNK):
        found.setdefault(change.job_id, []).append(change)
    return found
