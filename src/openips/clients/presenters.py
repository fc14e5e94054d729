"""How a client's record reads on the page. A clinician sees an employment summary only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from openips.accounts.models import User
from openips.accounts.roles import Capability, Role
from openips.casework.models import Contact
from openips.clients.codes import ContactMethod
from openips.clients.models import Episode, Person, PersonMerge
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

    @property
    def nhs_number(self) -> str:
        return format_nhs_number(self.person.nhs_number) or "Not recorded"

    @property
    def born(self) -> str:
        return format_date(self.person.date_of_birth) or "Not recorded"


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    title: str
    detail: str = ""
    estimate_id: int | None = None  # a benefits counselling contact with its saved estimate

    @property
    def when(self) -> str:
        return format_date(self.day)


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
    if episode.discharge_date:
        entries.append(
            TimelineEntry(
                episode.discharge_date, "Discharged", episode.get_discharge_reason_display()
            )
        )
    return sorted(entries, key=lambda e: e.day, reverse=True)


def clinician_headline(episodes: list[Episode], jobs: list[Job]) -> str:
    """Where the client is now, in one line for their clinical team: the latest episode's
    current job, else its search for work, else how it stands."""
    if not episodes:
        return ""
    latest = max(episodes, key=lambda e: (e.referral_date, e.pk or 0))
    if latest.discharge_date:
        return f"Left the IPS service on {format_date(latest.discharge_date)}"
    current = [j for j in jobs if j.episode_id == latest.pk and not j.end_date]
    if current:
        job = max(current, key=lambda j: j.start_date)
        where = job.employer.name if job.employer else job.job_title
        return f"In work at {where} since {format_date(job.start_date)}"
    if latest.accepted_date:
        es = latest.employment_specialist
        with_whom = f" with {es.name}" if es else ""
        return f"Looking for work{with_whom} since {format_date(latest.accepted_date)}"
    return f"Referred on {format_date(latest.referral_date)}, waiting to be accepted"


@dataclass
class ClientRecordPresenter:
    person: Person
    episodes: list[Episode]
    viewer: User
    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)  # undoable ones, the view's choice

    @property
    def can_record(self) -> bool:
        return self.viewer.can(Capability.RECORD_CASEWORK)

    @property
    def can_merge(self) -> bool:
        return self.viewer.can(Capability.MERGE_RECORDS)

    @property
    def undoable_merges(self) -> list[MergeEntry]:
        return [MergeEntry(m) for m in self.merges] if self.can_merge else []

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
    def summary_only(self) -> bool:
        return self.viewer.role == Role.CLINICIAN

    @property
    def headline(self) -> str:
        return clinician_headline(self.episodes, self.jobs) if self.summary_only else ""

    @property
    def details(self) -> list[tuple[str, str]]:
        rows = [("Client ID", client_label(self.person))]
        if not self.summary_only:
            rows += [
                ("NHS number", format_nhs_number(self.person.nhs_number) or "Not recorded"),
                ("Date of birth", format_date(self.person.date_of_birth) or "Not recorded"),
                ("Gender", self.person.get_gender_display() or "Not recorded"),
                ("Ethnicity", self.person.get_ethnicity_display() or "Not recorded"),
            ]
        return rows


def client_label(person: Person) -> str:
    """A client id with its service: the id is the organisation's, the service says where."""
    return f"{person.client_id} ({person.service.name})"


def yes_no_unknown(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not asked yet")  # type: ignore[arg-type]


def person_summary(person: Person) -> list[tuple[str, str]]:
    """Everything a merge's confirm page compares, side by side."""
    method = ContactMethod(person.preferred_contact).label if person.preferred_contact else ""
    return [
        ("Client ID", client_label(person)),
        ("Name", f"{person.given_name} {person.family_name}".strip() or "Not recorded"),
        ("NHS number", format_nhs_number(person.nhs_number) or "Not recorded"),
        ("Date of birth", format_date(person.date_of_birth) or "Not recorded"),
        ("Phone", person.phone or "Not recorded"),
        ("Email", person.email or "Not recorded"),
        ("Address", " ".join(f"{person.address} {person.postcode}".split()) or "Not recorded"),
        ("Preferred contact", method or "Not recorded"),
        ("Consent to receive messages", yes_no_unknown(person.message_consent)),
    ]


@dataclass(frozen=True)
class MergeEntry:
    merge: PersonMerge

    @property
    def text(self) -> str:
        when = format_date(self.merge.merged_at.date())
        return f"Client {self.merge.duplicate.client_id} was merged into this record on {when}"


@dataclass(frozen=True)
class MergePresenter:
    kept: Person
    duplicate: Person

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        return [
            (key, kept, duplicate)
            for (key, kept), (_, duplicate) in zip(
                person_summary(self.kept), person_summary(self.duplicate), strict=True
            )
        ]
