"""Everything one person's record shows, read in a fixed number of queries, scoped to the viewer."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.caseload import Prompt, prompts_for_person
from openips.casework.codes import AppointmentStatus
from openips.casework.models import Appointment, Contact, VocationalProfile
from openips.clients.models import Episode, HospitalStay, Person, PersonMerge, RetentionChange
from openips.clients.services import UNDO_DAYS
from openips.employment.models import Job
from openips.messaging.models import Message
from openips.organisations.programmes import Programme
from openips.organisations.queries import programmes_on


@dataclass
class RecordParts:
    episodes: list[Episode]
    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)  # the ones that can still be undone
    profiles: dict[int, VocationalProfile] = field(default_factory=dict)  # current, by episode
    prompts: dict[int, list[Prompt]] = field(default_factory=dict)  # caseload prompts, by episode
    appointments: list[Appointment] = field(default_factory=list)  # planned, soonest first
    messages: list[Message] = field(default_factory=list)  # sent to the person, latest first
    programmes: dict[int, Programme] = field(default_factory=dict)  # in force today, by service
    stays: list[HospitalStay] = field(default_factory=list)  # in hospital, latest first


def record_parts(user: User, person: Person) -> RecordParts:
    # Every change in work (job retention) for the timeline, oldest first, in one query: the
    # last is the latest, which gives the stage, so no annotation reads it a second time.
    changes = (
        RetentionChange.objects.visible_to(user)
        .select_related("recorded_by__staff_member")
        .order_by("date", "pk")
    )
    episodes = list(
        Episode.objects.visible_to(user)
        .filter(person=person)
        .select_related("employment_specialist", "clinical_team", "service")
        .prefetch_related("interventions", "handovers__from_staff", "handovers__to_staff")
        .prefetch_related(
            "handovers__by",
            Prefetch("retention_changes", queryset=changes),
            "employment_records",
            "measure_scores",
        )
    )
    latest = (
        VocationalProfile.objects.filter(episode=OuterRef("episode"))
        .values("episode")
        .annotate(latest=Max("version"))
        .values("latest")
    )
    profiles = {
        p.episode_id: p
        for p in VocationalProfile.objects.filter(
            episode__in=episodes, version=Subquery(latest)
        ).select_related("recorded_by__staff_member")
    }
    contacts = list(
        Contact.objects.visible_to(user)
        .filter(episode__in=episodes)
        .select_related("staff", "employer", "benefit_estimate")
        .order_by("-date", "-pk")
    )
    jobs = list(
        Job.objects.visible_to(user).filter(episode__in=episodes).select_related("employer")
    )
    merges: list[PersonMerge] = []
    if user.can(Capability.MERGE_RECORDS):
        since = timezone.now() - timedelta(days=UNDO_DAYS)
        merges = list(
            PersonMerge.objects.filter(kept=person, undone_at=None, merged_at__gte=since)
            .select_related("duplicate")
            .order_by("-merged_at")
        )
    prompts = (
        prompts_for_person(user, person.pk, timezone.localdate())
        if user.can(Capability.RECORD_CASEWORK)
        else {}
    )
    appointments = list(
        Appointment.objects.visible_to(user)
        .filter(episode__in=episodes, status=AppointmentStatus.PLANNED)
        .select_related("staff")
        .order_by("date", "time", "pk")
    )
    messages = list(
        Message.objects.visible_to(user)
        .filter(person=person)
        .select_related("appointment")
        .order_by("-created_at", "-pk")
    )
    programmes = programmes_on({e.service_id for e in episodes}, timezone.localdate())
    stays = list(HospitalStay.objects.visible_to(user).filter(person=person))
    return RecordParts(
        episodes,
        contacts,
        jobs,
        merges,
        profiles,
        prompts,
        appointments,
        messages,
        programmes,
        stays,
    )
