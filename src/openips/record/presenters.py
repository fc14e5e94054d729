"""How a client's record reads on the page: its episodes, each with a timeline of what happened,
the current job and vocational profile and the caseload prompts. A clinician sees an employment
summary only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.presenters import name_and_role
from openips.accounts.roles import Capability, Role
from openips.casework.caseload import Prompt
from openips.casework.models import PROFILE_SECTIONS, Appointment, Contact, VocationalProfile
from openips.casework.presenters import staff_label
from openips.clients.codes import RetentionStatus
from openips.clients.models import (
    Episode,
    Handover,
    HospitalStay,
    MeasureScore,
    Person,
    PersonMerge,
    RetentionChange,
)
from openips.clients.presenters import (
    MergeEntry,
    client_label,
    contact_rows,
    episode_stage,
    format_nhs_number,
    retention_now,
)
from openips.clients.stages import is_retention
from openips.core.formatting import format_date, format_datetime, format_time, verbose_name
from openips.employment.codes import Moment
from openips.employment.models import Job
from openips.messaging.models import Message, Purpose
from openips.messaging.presenters import MessageRow, consent_text, reminder_text
from openips.organisations import programmes as rules
from openips.organisations.programmes import Programme

TIMELINE_SHOWN = 20  # the latest entries of an episode; "show all" lists the rest
NOT_YET = "Not recorded yet"


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    title: str
    detail: str = ""
    estimate_id: int | None = None  # a benefits counselling contact with its saved estimate
    notes: str = ""  # what was written, shown with its line breaks (and escaped) by the page
    recorded_by: str = ""  # "Esme Adams, Employment specialist"
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
        f"By {name_and_role(handover.by)}",
    )


def retention_changes(episode: Episode) -> list[RetentionChange]:
    """Its changes in work, oldest first (prefetched by the view); none for a job seeker."""
    return list(episode.retention_changes.all()) if is_retention(episode) else []


def retention_entry(change: RetentionChange) -> TimelineEntry:
    """A change in work of a client employed at referral, by whom (prefetched by the view)."""
    title = {
        RetentionStatus.AT_RISK: "At risk in work (off sick or struggling)",
        RetentionStatus.BACK_AT_WORK: "Back at work",
        RetentionStatus.ADJUSTED_ROLE: "In an adjusted role",
        RetentionStatus.LEFT: "Left the job",
    }[RetentionStatus(change.status)]
    return TimelineEntry(change.date, title, recorded_by=name_and_role(change.recorded_by))


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
                f"{c.get_mode_display()}{status}",
                estimate.pk if estimate else None,
                notes=c.notes.strip(),
                recorded_by=staff_label(c),
                contact_id=c.pk,
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
    entries += [retention_entry(c) for c in retention_changes(episode)]
    if episode.discharge_date:
        entries.append(
            TimelineEntry(
                episode.discharge_date, "Discharged", episode.get_discharge_reason_display()
            )
        )
    return sorted(entries, key=lambda e: e.day, reverse=True)


def hours(value: Decimal | None) -> str:
    if value is None:
        return ""
    shown = f"{value.normalize():f}"
    return f"{shown} hour a week" if shown == "1" else f"{shown} hours a week"


def job_headline(job: Job) -> str:
    """ "In work at Employer A as Barista since 4 March 2026, 16 hours a week"."""
    where = f" at {job.employer.name}" if job.employer else ""
    text = f"In work{where} as {job.job_title} since {format_date(job.start_date)}"
    return f"{text}, {hours(job.hours_per_week)}" if job.hours_per_week is not None else text


@dataclass(frozen=True)
class EmploymentRecordLine:
    """One of an episode's two Talking Therapies employment records, made or not."""

    moment: Moment
    recorded_on: date | None

    @property
    def status(self) -> str:
        return f"recorded {format_date(self.recorded_on)}" if self.recorded_on else "not recorded"


def employment_record_lines(episode: Episode) -> list[EmploymentRecordLine]:
    """Assessment, then discharge, from the episode's prefetched records."""
    made = {r.moment: r.recorded_on for r in episode.employment_records.all()}
    return [EmploymentRecordLine(m, made.get(m)) for m in Moment]


@dataclass(frozen=True)
class ProfileView:
    """The current version of a vocational profile, section by section."""

    profile: VocationalProfile

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [
            (
                verbose_name(VocationalProfile, name).capitalize(),
                getattr(self.profile, name).strip() or NOT_YET,
            )
            for name in PROFILE_SECTIONS
        ]

    @property
    def saved(self) -> str:
        p = self.profile
        when = format_datetime(p.recorded_at)
        return f"Version {p.version}, saved by {name_and_role(p.recorded_by)} on {when}"


@dataclass(frozen=True)
class AppointmentRow:
    appointment: Appointment
    reminder: str
    due: bool  # today or past: time to record what happened

    @property
    def when(self) -> str:
        a = self.appointment
        return f"{format_date(a.date)} at {format_time(a.time)}"

    @property
    def how(self) -> str:
        a = self.appointment
        return f"{a.get_mode_display()}, {a.place}" if a.place else a.get_mode_display()


@dataclass(frozen=True)
class StayLine:
    stay: HospitalStay

    @property
    def text(self) -> str:
        s = self.stay
        until = f"to {format_date(s.discharge_date)}" if s.discharge_date else "still in hospital"
        return f"{s.get_setting_display()}: {format_date(s.admission_date)} {until}"


@dataclass(frozen=True)
class ScoreLine:
    score: MeasureScore

    @property
    def text(self) -> str:
        s = self.score
        return f"{format_date(s.date)}: {s.get_measure_display()} {s.score.normalize():f}"


def score_lines(episode: Episode) -> list[ScoreLine]:
    """The episode's scores (prefetched), latest first."""
    scores = sorted(episode.measure_scores.all(), key=lambda s: (s.date, s.pk), reverse=True)
    return [ScoreLine(s) for s in scores]


@dataclass
class ClientRecordPresenter:
    person: Person
    episodes: list[Episode]
    viewer: User
    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)  # undoable ones, the view's choice
    profiles: dict[int, VocationalProfile] = field(default_factory=dict)  # current, by episode
    prompts: dict[int, list[Prompt]] = field(default_factory=dict)  # caseload prompts, by episode
    whole_timeline: bool = False  # every entry, not only the latest TIMELINE_SHOWN
    appointments: list[Appointment] = field(default_factory=list)  # planned, soonest first
    messages: list[Message] = field(default_factory=list)  # to the person, latest first
    programmes: dict[int, Programme] = field(default_factory=dict)  # in force today, by service
    stays: list[HospitalStay] = field(default_factory=list)  # the person's, latest first

    @property
    def upcoming(self) -> list[AppointmentRow]:
        """Planned appointments with whether a reminder goes, for the IPS team."""
        if self.summary_only:
            return []
        today = timezone.localdate()
        reminders = {
            m.appointment_id: m for m in self.messages if m.purpose == Purpose.APPOINTMENT_REMINDER
        }
        return [
            AppointmentRow(
                a, reminder_text(a, self.person, reminders.get(a.pk), today), a.date <= today
            )
            for a in self.appointments
        ]

    @property
    def message_rows(self) -> list[MessageRow]:
        return [] if self.summary_only else [MessageRow(m) for m in self.messages]

    @property
    def consent(self) -> str:
        """Whether the person agreed to messages; when they stopped them, and who heard."""
        return consent_text(self.person, name_and_role(self.person.messages_stopped_by))

    @property
    def can_stop_messages(self) -> bool:
        return self.can_record and self.person.message_consent is True

    @property
    def stay_lines(self) -> list[StayLine]:
        return [StayLine(s) for s in self.stays]

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
        contacts: dict[int | None, list[Contact]] = defaultdict(list)
        jobs: dict[int, list[Job]] = defaultdict(list)
        for c in self.contacts:
            contacts[c.episode_id].append(c)
        for j in self.jobs:
            jobs[j.episode_id].append(j)
        views = []
        for e in self.episodes:
            timeline = episode_timeline(e, contacts[e.pk], jobs[e.pk])
            if self.summary_only:  # what was written stays with the IPS team
                timeline = [replace(t, notes="") for t in timeline]
            current = sorted(
                (j for j in jobs[e.pk] if not j.end_date), key=lambda j: j.start_date, reverse=True
            )
            profile = self.profiles.get(e.pk)
            shown = timeline if self.whole_timeline else timeline[:TIMELINE_SHOWN]
            retention = is_retention(e)
            changes = retention_changes(e)
            latest = changes[-1] if changes else None
            work = [job_headline(j) for j in current]
            programme = self.programmes.get(e.service_id) or rules.default()
            views.append(
                {
                    "episode": e,
                    "stage": episode_stage(
                        e, in_work=bool(current), latest_retention=latest.status if latest else None
                    ),
                    "headline": retention_now(e, latest)
                    if retention and e.accepted_date and not e.discharge_date and not current
                    else self.headline(e, current),
                    "retention": retention,
                    "timeline": shown,
                    "more": len(timeline) - len(shown),
                    "current_jobs": current,
                    # Employed at referral, their job may not be recorded: say where they stand.
                    "work": work or ([retention_now(e, latest)] if retention else []),
                    "profile": ProfileView(profile) if profile and not self.summary_only else None,
                    "prompts": self.prompts.get(e.pk, []) if self.can_record else [],
                    "specialist": self.specialist(e),
                    "programme": programme,
                    "scores": score_lines(e),
                    "employment_records": employment_record_lines(e)
                    if programme.talking_therapies_record
                    else [],
                    "open": e.discharge_date is None,
                }
            )
        return views

    @staticmethod
    def headline(episode: Episode, current: list[Job]) -> str:
        """Where the person is now, in one line: the summary a clinical team reads first."""
        if current:
            return job_headline(current[0])
        if episode.discharge_date:
            reason = episode.get_discharge_reason_display()
            return f"Discharged on {format_date(episode.discharge_date)}" + (
                f": {reason.lower()}" if reason else ""
            )
        if not episode.accepted_date:
            return f"Referred on {format_date(episode.referral_date)}, not yet accepted"
        if episode.vocational_profile_date:
            return f"Looking for work since {format_date(episode.vocational_profile_date)}"
        return f"Accepted on {format_date(episode.accepted_date)}, vocational profile not started"

    @staticmethod
    def specialist(episode: Episode) -> list[tuple[str, str]]:
        """The employment specialist and how to reach them at work, as far as is recorded."""
        es = episode.employment_specialist
        if es is None:
            return [("Employment specialist", "Not allocated")]
        rows = [("Employment specialist", es.name)]
        for label, name in (("Work phone", "work_phone"), ("Work email", "work_email")):
            if value := getattr(es, name, ""):
                rows.append((label, value))
        return rows

    @property
    def contact_details(self) -> list[tuple[str, str]]:
        """The person's own contact details, for the IPS team (a clinician's team has its own)."""
        return [] if self.summary_only else contact_rows(self.person)

    @property
    def can_reassign(self) -> bool:
        return self.viewer.can(Capability.REASSIGN_CASELOAD)

    @property
    def summary_only(self) -> bool:
        return self.viewer.role == Role.CLINICIAN

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
