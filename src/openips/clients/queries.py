"""Which episodes (and so which people) a user may see. Every client page starts here.

Opening one person's record (`person_for`, `episode_for`) puts the view on their audit trail,
so no page that shows a person can forget to."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from openips.accounts.roles import Role
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients.models import Episode, HospitalStay, MeasureScore, Person, RetentionChange
from openips.organisations.models import Service

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from openips.accounts.models import User


def person_for(user: User, pk: int) -> Person:
    """The person with this id if the user may see them; 404 whether missing or out of scope."""

    person = (
        Person.objects.visible_to(user)
        .select_related("service", "messages_stopped_by__staff_member")  # who stopped messages
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No such client")
    record(AuditAction.VIEW, actor=user, obj=person)
    return person


def mergeable_with(user: User, kept: Person) -> QuerySet[Person]:
    """Other records the user may see in the kept record's organisation, not merged already."""

    return (
        Person.objects.visible_to(user)
        .filter(organisation_id=kept.organisation_id, merged_into=None)
        .exclude(pk=kept.pk)
        .select_related("service")
    )


def merged_into(user: User, pk: int) -> Person | None:
    """For a merged record's old address: the record it went into, if the user may see that."""

    kept = Person.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    if kept is None:
        return None
    return Person.objects.visible_to(user).filter(pk=kept).first()


class LatestEpisode(TypedDict):
    latest_id: int  # never None: a person is visible through their visible episodes


if TYPE_CHECKING:  # types only: WithAnnotations cannot be subscripted at run time
    PersonWithLatest = WithAnnotations[Person, LatestEpisode]


def people_with_latest_episode(user: User) -> QuerySet[PersonWithLatest]:
    """The people this user may see, each annotated with the id of their latest visible episode."""

    visible = Episode.objects.visible_to(user)
    latest = (
        visible.filter(person=OuterRef("pk")).order_by("-referral_date", "-pk").values("pk")[:1]
    )
    people = Person.objects.visible_to(user).annotate(latest_id=Subquery(latest))
    return cast("QuerySet[PersonWithLatest]", people)  # the plugin types latest_id as Any


def has_open_job(user: User, episode: str) -> Exists:
    """Whether the episode an outer query names (`episode`: its column) has a job that has not
    ended, confirmed or not: the "In work" of `clients.stages`."""
    return Exists(
        Episode.objects.visible_to(user).filter(
            pk=OuterRef(episode), jobs__isnull=False, jobs__end_date__isnull=True
        )
    )


def latest_retention(episode: str = "pk", value: str = "status") -> Subquery:
    """The status (or `value`: "date") of the latest change in work recorded for the episode an
    outer query names (`episode`: its column), None when none is: the last by date, and of one
    day's the last recorded (clients.stages.status_on reads them in the same order). Correlated
    with that outer query's row, which is the scoped read."""
    latest = RetentionChange.objects.filter(episode=OuterRef(episode)).order_by("-date", "-pk")
    return Subquery(latest.values(value)[:1])


def latest_retention_change(user: User, episode: Episode) -> RetentionChange | None:
    changes = RetentionChange.objects.visible_to(user).filter(episode=episode)
    return changes.order_by("-date", "-pk").first()


def episodes_by_id(user: User, ids: list[int]) -> dict[int, Episode]:
    """These episodes, each annotated with `in_work` (whether a job of theirs is open) and
    `latest_retention` (the status of the latest change in work recorded, if any)."""
    visible = Episode.objects.visible_to(user).select_related("employment_specialist", "service")
    annotated = visible.annotate(
        in_work=has_open_job(user, "pk"), latest_retention=latest_retention()
    )
    return annotated.in_bulk(ids)


def episode_for(user: User, pk: int) -> Episode:
    """The episode with this id if the user may see it; 404 whether missing or out of scope."""

    episode = (
        Episode.objects.visible_to(user)
        .select_related("person", "service", "employment_specialist", "clinical_team")
        .filter(pk=pk)
        .first()
    )
    if episode is None:
        raise Http404("No such episode")
    record(AuditAction.VIEW, actor=user, obj=episode)
    return episode


def referral_services(user: User) -> QuerySet[Service]:
    """The services a clinician may refer to: those their clinical team works with."""
    if user.role != Role.CLINICIAN or not user.clinical_team_id:
        return Service.objects.none()
    return Service.objects.filter(clinical_teams__id=user.clinical_team_id).distinct()


def stay_for(user: User, pk: int) -> HospitalStay:
    """The stay with this id if the user may see its person and it was recorded by one of the
    user's services; 404 whether missing or not."""
    # Corrected only by the service that recorded it, as its export and the API hold it.
    recording = Episode.objects.visible_to(user).values("service_id")
    found = HospitalStay.objects.visible_to(user).filter(service__in=recording)
    stay = found.select_related("person").filter(pk=pk).first()
    if stay is None:
        raise Http404("No such hospital stay")
    record(AuditAction.VIEW, actor=user, obj=stay)
    return stay


def score_for(user: User, pk: int) -> MeasureScore:
    """The score with this id if the user may see its episode; 404 whether missing or not."""
    found = MeasureScore.objects.visible_to(user).select_related("episode__person")
    score = found.filter(pk=pk).first()
    if score is None:
        raise Http404("No such score")
    record(AuditAction.VIEW, actor=user, obj=score)
    return score


def recording_service(user: User, person: Person) -> Service | None:
    """The service a stay the user records for this person belongs to: that of the latest of
    the person's episodes the user may see (one query)."""
    latest = (
        Episode.objects.visible_to(user)
        .filter(person=person)
        .select_related("service")
        .order_by("-referral_date", "-pk")
        .first()
    )
    return latest.service if latest else None
