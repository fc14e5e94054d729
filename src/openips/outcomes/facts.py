"""The facts the metrics are counted from, read in SQL: one row per episode with the contact
dates that matter (first employer contact after acceptance, first direct client contact, a
recent client contact), its changes in work if it was employed at referral (job retention), the
person's mental-health hospital stays and the episode's outcome-measure scores; and one row per
confirmed job start. Five queries for any scope; the correlated subqueries use the contact
indexes on (episode, date)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from openips.casework.codes import DIRECT_MODES, ContactWith, Mode
from openips.casework.models import Contact
from openips.clients.codes import EmploymentStatus, StaySetting
from openips.clients.models import Episode, HospitalStay, MeasureScore, RetentionChange
from openips.core.dates import add_days
from openips.core.reporting import reporting_reads
from openips.employment.models import Job

T = TypeVar("T")


@dataclass(frozen=True)
class EpisodeFact:
    pk: int
    person: int
    referral: date
    accepted: date | None
    profile: date | None
    discharge: date | None
    status: str
    specialist: str | None
    team: str | None
    source: str
    gender: str
    ethnicity: str
    birth: date | None
    service: str
    client_contact_recently: bool  # a client contact in [E − 27, E]
    first_employer_contact: date | None  # on or after acceptance, face to face
    first_direct_contact: date | None  # the first client contact face to face, phone or video
    # Employed at referral: each change in work (date, RetentionStatus), in the order recorded.
    retention: tuple[tuple[date, str], ...] = ()
    # The person's mental-health inpatient stays: (admission, discharge or None if still in).
    stays: tuple[tuple[date, date | None], ...] = ()
    scores: tuple[Score, ...] = ()  # the episode's outcome-measure scores


@dataclass(frozen=True)
class Score:
    measure: str
    date: date
    measure_id: str
    score: Decimal


@dataclass(frozen=True)
class JobFact:
    episode: int
    start: date
    end: date | None
    hours: Decimal | None
    pay: Decimal | None
    competitive: bool
    employer: int | None
    job_type: str
    title: str


def _first(contacts: QuerySet[Contact]) -> Subquery:
    return Subquery(contacts.order_by("date").values("date")[:1])


def _by_first(
    rows: QuerySet[Any, tuple[Any, ...]], make: Callable[..., T]
) -> dict[int, tuple[T, ...]]:
    """Rows (key, *values) in the order read, as make(*values) grouped by key: one query."""
    found: dict[int, list[T]] = defaultdict(list)
    for key, *values in rows.iterator(chunk_size=5000):
        found[key].append(make(*values))
    return {key: tuple(items) for key, items in found.items()}


def retention_changes(episodes: QuerySet[Episode]) -> dict[int, tuple[tuple[date, str], ...]]:
    """The changes in work of the episodes in scope employed at referral, by episode."""
    rows = (
        RetentionChange.objects.filter(
            episode__in=episodes.order_by().values("pk"),
            episode__employment_status_at_referral=EmploymentStatus.EMPLOYED,
        )
        .order_by("episode", "date", "pk")
        .values_list("episode_id", "date", "status")
    )
    return _by_first(rows, lambda day, status: (day, status))


def hospital_stays(episodes: QuerySet[Episode]) -> dict[int, tuple[tuple[date, date | None], ...]]:
    """The mental-health inpatient stays of the people of the episodes in scope, by person."""
    rows = (
        HospitalStay.objects.filter(
            person__in=episodes.order_by().values("person_id"),
            setting=StaySetting.MENTAL_HEALTH_INPATIENT,
        )
        .order_by("person", "admission_date", "pk")
        .values_list("person_id", "admission_date", "discharge_date")
    )
    return _by_first(rows, lambda admitted, discharged: (admitted, discharged))


def measure_scores(episodes: QuerySet[Episode]) -> dict[int, tuple[Score, ...]]:
    """The outcome-measure scores of the episodes in scope, by episode."""
    rows = (
        MeasureScore.objects.filter(episode__in=episodes.order_by().values("pk"))
        .order_by("episode", "date", "measure_id")
        .values_list("episode_id", "measure", "date", "measure_id", "score")
    )
    return _by_first(rows, Score)


@reporting_reads
def episode_facts(episodes: QuerySet[Episode], end: date) -> list[EpisodeFact]:
    """Every episode in scope, with its contact dates as of `end`, its changes in work, the
    person's hospital stays and its outcome-measure scores."""
    changes = retention_changes(episodes)
    stays = hospital_stays(episodes)
    scores = measure_scores(episodes)
    attended = Contact.objects.filter(episode=OuterRef("pk"), attended=True)
    client = attended.filter(contact_with=ContactWith.CLIENT)
    employer = attended.filter(
        contact_with=ContactWith.EMPLOYER,
        mode=Mode.FACE_TO_FACE,
        date__gte=OuterRef("accepted_date"),
    )
    rows = (
        episodes.order_by()
        .annotate(
            recent=Exists(client.filter(date__range=(add_days(end, -27), end))),
            first_employer=_first(employer),
            first_direct=_first(client.filter(mode__in=DIRECT_MODES)),
        )
        .values_list(
            "pk",
            "person_id",
            "referral_date",
            "accepted_date",
            "vocational_profile_date",
            "discharge_date",
            "employment_status_at_referral",
            F("employment_specialist__staff_id"),
            F("clinical_team__name"),
            "referral_source",
            F("person__gender"),
            F("person__ethnicity"),
            F("person__date_of_birth"),
            F("service__code"),
            "recent",
            "first_employer",
            "first_direct",
        )
    )
    return [
        # The columns, then `retention`, `stays` and `scores` from the other queries.
        EpisodeFact(*(*row, changes.get(row[0], ()), stays.get(row[1], ()), scores.get(row[0], ())))
        for row in rows.iterator(chunk_size=5000)
    ]


@reporting_reads
def job_facts(episodes: QuerySet[Episode]) -> list[JobFact]:
    """Every confirmed job start of the episodes in scope (unconfirmed starts count nowhere)."""
    rows = (
        Job.objects.filter(episode__in=episodes.order_by().values("pk"), start_confirmed=True)
        .order_by()
        .values_list(
            "episode_id",
            "start_date",
            "end_date",
            "hours_per_week",
            "hourly_pay",
            "competitive",
            "employer_id",
            "job_type",
            "job_title",
        )
    )
    return [JobFact(*row) for row in rows.iterator(chunk_size=5000)]
