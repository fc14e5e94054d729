"""How a client's record reads on the page. A clinician sees an employment summary only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.roles import Capability, Role
from openips.casework.models import Contact
from openips.clients.models import Episode, Handover, Person
from openips.core.formatting import format_date
from openips.employment.models import Job


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def episode_stage(episode: Episode) -> str:
    if episode.discharge_date:
        return "Discharged"
    if not episode.accepted_date:
        return "Referred"
    if not episode.vocational_profile_date:
        return "Accepted"
    return "Engaged"


@dataclass
class ClientRow:
    person: Person
    latest: Episode | None

    @property
    def stage(self) -> str:
        return episode_stage(self.latest) if self.latest else "–"

    @property
    def specialist(self) -> str:
        es = self.latest.employment_specialist if self.latest else None
        return es.name if es else "–"


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    title: str
    detail: str = ""
    estimate_id: int | None = None  # a benefits counselling contact with its saved estimate
    contact_id: int | None = None  # a contact, which can be changed or deleted

    @property
    def when(self) -> str:
        return format_date(self.day)


def handover_entry(handover: Handover) -> TimelineEntry:
    """A small item: "Handed over from A to B", by whom (prefetched by the view)."""
    was = handover.from_staff.name if handover.from_staff else "nobody"
    return TimelineEntry(
        timezone.localdate(handover.handed_over_at),
        f"Handed over from {was} to {handover.to_staff.name}",
        f"By {handover.by}",
    )


def episode_timeline(
    episode: Episode, contacts: list[Contact], jobs: list[Job]
) -> list[TimelineEntry]:
    """Everything that happened in one episode (given its own contacts and jobs), latest first."""
    entries = [
        TimelineEntry(episode.referral_date, "Referred", episode.get_referral_source_display())
    ]
    if episode.accepted_date:
        es = episode.employment_specialist
        entries.append(
            TimelineEntry(
                episode.accepted_date,
                "Accepted onto the caseload",
                f"Employment specialist: {es.name}" if es else "",
            )
        )
    if episode.vocational_profile_date:
        entries.append(TimelineEntry(episode.vocational_profile_date, "Vocational profile started"))
    for c in contacts:
        who = c.employer.name if c.employer else c.get_contact_with_display()
        status = "" if c.attended else " – did not happen"
        estimate = getattr(c, "benefit_estimate", None)  # select_related by the view
        entries.append(
            TimelineEntry(
                c.date,
                f"{c.get_purpose_display()}: {who}",
                f"{c.get_mode_display()}{status}, by {c.staff.name}",
                estimate.pk if estimate else None,
                c.pk,
            )
        )
    for j in jobs:
        where = f" at {j.employer.name}" if j.employer else ""
        confirmed = "" if j.start_confirmed else " (4 paid hours not yet confirmed)"
        entries.append(
            TimelineEntry(j.start_date, f"Started work: {j.job_title}{where}", confirmed.strip())
        )
        if j.end_date:
            entries.append(
                TimelineEntry(j.end_date, f"Job ended: {j.job_title}", j.get_end_reason_display())
            )
    for i in episode.interventions.all():
        entries.append(
            TimelineEntry(i.start_date, f"Started: {i.get_kind_display()}", i.description)
        )
    entries += [handover_entry(h) for h in episode.handovers.all()]
    if episode.discharge_date:
        entries.append(
            TimelineEntry(
                episode.discharge_date, "Discharged", episode.get_discharge_reason_display()
            )
        )
    return sorted(entries, key=lambda e: e.day, reverse=True)


@dataclass
class ClientRecordPresenter:
    person: Person
    episodes: list[Episode]
    viewer: User
    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    @property
    def can_record(self) -> bool:
        return self.viewer.can(Capability.RECORD_CASEWORK)

    @property
    def episode_views(self) -> list[dict[str, object]]:
        contacts: dict[int, list[Contact]] = defaultdict(list)
        jobs: dict[int, list[Job]] = defaultdict(list)
        for c in self.contacts:
            contacts[c.episode_id].append(c)  # type: ignore[index]
        for j in self.jobs:
            jobs[j.episode_id].append(j)
        return [
            {
                "episode": e,
                "stage": episode_stage(e),
                "timeline": episode_timeline(e, contacts[e.pk], jobs[e.pk]),
                "current_jobs": [j for j in jobs[e.pk] if not j.end_date],
                "open": e.discharge_date is None,
            }
            for e in self.episodes
        ]

    @property
    def can_reassign(self) -> bool:
        return self.viewer.can(Capability.REASSIGN_CASELOAD)

    @property
    def summary_only(self) -> bool:
        return self.viewer.role == Role.CLINICIAN

    @property
    def details(self) -> list[tuple[str, str]]:
        rows = [("Client ID", self.person.client_id)]
        if not self.summary_only:
            rows += [
                ("NHS number", format_nhs_number(self.person.nhs_number) or "Not recorded"),
                ("Date of birth", format_date(self.person.date_of_birth) or "Not recorded"),
                ("Gender", self.person.get_gender_display() or "Not recorded"),
                ("Ethnicity", self.person.get_ethnicity_display() or "Not recorded"),
            ]
        return rows
