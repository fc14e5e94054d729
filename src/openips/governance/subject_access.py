"""Everything held about a person as they read it (a page, and the document printed from it):
each field by its label, each code by its meaning, dates as the NHS writes them. Built from
`rights.gather`, tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from openips.accounts.presenters import name_and_role
from openips.audit.models import AuditEvent
from openips.benefits.forms import ScenarioForm
from openips.benefits.models import Estimate
from openips.casework.models import PROFILE_SECTIONS, Contact, VocationalProfile
from openips.casework.presenters import staff_label
from openips.clients.presenters import format_nhs_number
from openips.core.formatting import field_label, format_date, format_datetime, format_time
from openips.employment.models import Job
from openips.governance import held
from openips.governance.rights import EpisodeHeld, Held
from openips.messaging.models import Message

NOT_RECORDED = "Not recorded"
Rows = list[tuple[str, str]]

# The held fields (governance.held), in words. A contact's notes and who recorded it have
# their own place on the page.
PERSON = held.PERSON
EPISODE = held.EPISODE
CONTACT = [name for name in held.CONTACT if name not in ("notes", "staff")]
JOB = held.JOB
INTERVENTION = held.INTERVENTION
APPOINTMENT = [name for name in held.APPOINTMENT if name not in ("date", "time", "staff")]
EMPLOYMENT_RECORD = [n for n in held.EMPLOYMENT_RECORD if n not in ("moment", "recorded_on")]
MESSAGE = ["channel", "to", "status", "reason", "sent_at", "completed_at"]  # and what it said
# Labels plainer than a field's name, where the name alone would puzzle a reader.
LABELS = {
    "client_id": "Client ID",
    "contact_with": "Who with",
    "mode": "How",
    "setting": "Where",
    "given_name": "First name",
    "family_name": "Last name",
    "episode_id": "Referral ID",
    "contact_id": "Contact ID",
    "job_id": "Job ID",
    "attended": "Did it happen",
    "matches_preferences": "Job matched your preferences",
    "start_confirmed": "4 paid hours worked",
    "competitive": "Open to anyone (competitive)",
    "kind": "What it was",
    "job_type": "Job type (SOC 2020 code)",
    "place": "Where",
    "to": "Sent to",
    "channel": "How",
    "reason": "Why it was not sent",
    "sent_at": "Sent",
    "completed_at": "Delivered or given up",
    "messages_stopped_at": "Messages stopped",
}


def label(model: type[models.Model], name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return field_label(model, name)


def shown(value: Any) -> str:
    """A stored value as words: codes already turned to labels by `field_value`."""
    if value is None or value == "":
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def field_value(obj: models.Model, name: str) -> str:
    f = obj._meta.get_field(name)
    if getattr(f, "choices", None):
        return shown(getattr(obj, f"get_{name}_display")())
    if name == "nhs_number":
        return shown(format_nhs_number(getattr(obj, name)))
    if name == "hourly_pay" and getattr(obj, name) is not None:
        return f"£{getattr(obj, name):,.2f} an hour"
    return shown(getattr(obj, name))


def rows(obj: models.Model, names: list[str]) -> Rows:
    return [(label(type(obj), n), field_value(obj, n)) for n in names]


def scenario_rows(scenario: dict[str, Any]) -> Rows:
    """What was entered for an estimate, by the questions the form asked."""
    form = ScenarioForm(today=timezone.localdate())
    out = []
    for name, value in scenario.items():
        if value in ("", None):
            continue
        field = form.fields.get(name)
        if field is None:
            continue  # a question no longer asked
        choices = dict(getattr(field, "choices", None) or ())
        out.append((str(field.label or name), str(choices.get(value, value))))
    return out


@dataclass(frozen=True)
class ContactView:
    contact: Contact

    @property
    def title(self) -> str:
        c = self.contact
        return f"{format_date(c.date)}: {c.get_purpose_display()}"

    @property
    def rows(self) -> Rows:
        shown = [*rows(self.contact, CONTACT), ("Recorded by", staff_label(self.contact))]
        if deleted := self.contact.deletion_summary:  # kept, and said to be wrong (ADR 0020)
            shown.append(("Deleted from the record", deleted))
        return shown

    @property
    def notes(self) -> str:
        return self.contact.notes.strip()


@dataclass(frozen=True)
class ProfileVersion:
    profile: VocationalProfile

    @property
    def title(self) -> str:
        p = self.profile
        return f"Version {p.version}, {format_datetime(p.recorded_at)}"

    @property
    def rows(self) -> Rows:
        return [*rows(self.profile, list(PROFILE_SECTIONS)), self.saved_by]

    @property
    def saved_by(self) -> tuple[str, str]:
        return ("Saved by", name_and_role(self.profile.recorded_by))


@dataclass(frozen=True)
class JobView:
    job: Job

    @property
    def title(self) -> str:
        j = self.job
        return f"{j.job_title} at {j.employer.name}" if j.employer else j.job_title

    @property
    def rows(self) -> Rows:
        return rows(self.job, JOB)

    @property
    def changes(self) -> list[str]:
        out = []
        for c in self.job.changes.all():
            parts = [f"From {format_date(c.effective_date)}"]
            if c.hours_per_week is not None:
                parts.append(f"{shown(c.hours_per_week)} hours a week")
            if c.hourly_pay is not None:
                parts.append(f"£{c.hourly_pay:,.2f} an hour")
            parts.append("4 paid hours worked" if c.start_confirmed else "4 paid hours not yet")
            out.append(", ".join(parts))
        return out


@dataclass(frozen=True)
class EstimateView:
    estimate: Estimate

    @property
    def title(self) -> str:
        e = self.estimate
        return f"{format_date(e.contact.date)}, on {e.tax_year} rates"

    @property
    def rows(self) -> Rows:
        e = self.estimate
        return [
            ("Income a month now", f"£{e.income_now:,.2f}"),
            ("Income a month in work", f"£{e.income_in_work:,.2f}"),
        ]

    @property
    def entered(self) -> Rows:
        return scenario_rows(self.estimate.scenario or {})


@dataclass(frozen=True)
class AccessRow:
    event: AuditEvent

    @property
    def when(self) -> str:
        return format_datetime(self.event.occurred_at)

    @property
    def who(self) -> str:
        return name_and_role(self.event.actor, self.event.actor_label)

    @property
    def what(self) -> str:
        record = self.event.object_label
        action = self.event.get_action_display()
        if record == "Person":
            return f"{action} your record"
        return f"{action}: {record.lower()}" if record else action


@dataclass(frozen=True)
class MessageView:
    message: Message

    @property
    def title(self) -> str:
        m = self.message
        about = f" for {format_date(m.appointment.date)}" if m.appointment else ""
        return f"{format_datetime(m.created_at)}: {m.get_purpose_display()}{about}"

    @property
    def rows(self) -> Rows:
        said = self.message.personalisation or {}
        words = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in said.items())
        return [*rows(self.message, MESSAGE), ("What it filled in", words or NOT_RECORDED)]


@dataclass(frozen=True)
class EpisodeView:
    held: EpisodeHeld

    @property
    def title(self) -> str:
        return f"Referral on {format_date(self.held.episode.referral_date)}"

    @property
    def rows(self) -> Rows:
        return rows(self.held.episode, EPISODE)

    @property
    def contacts(self) -> list[ContactView]:
        return [ContactView(c) for c in self.held.contacts]

    @property
    def profiles(self) -> list[ProfileVersion]:
        return [ProfileVersion(p) for p in self.held.profiles]

    @property
    def jobs(self) -> list[JobView]:
        return [JobView(j) for j in self.held.jobs]

    @property
    def estimates(self) -> list[EstimateView]:
        return [EstimateView(e) for e in self.held.estimates]

    @property
    def interventions(self) -> list[Rows]:
        return [rows(i, INTERVENTION) for i in self.held.interventions]

    @property
    def appointments(self) -> list[tuple[str, Rows]]:
        return [
            (
                f"{format_date(a.date)} at {format_time(a.time)}",
                [*rows(a, APPOINTMENT), ("With", str(a.staff))],
            )
            for a in self.held.appointments
        ]

    @property
    def changes_in_work(self) -> list[str]:
        """Job retention: "4 March 2026: Back at work"."""
        return [
            f"{format_date(c.date)}: {c.get_status_display()}" for c in self.held.retention_changes
        ]

    @property
    def employment_records(self) -> list[tuple[str, Rows]]:
        return [
            (
                f"{r.get_moment_display()}, recorded {format_date(r.recorded_on)}",
                rows(r, EMPLOYMENT_RECORD),
            )
            for r in self.held.employment_records
        ]

    @property
    def scores(self) -> list[str]:
        """Outcome measures: "20 December 2024: ReQoL-10, 14"."""
        return [
            f"{format_date(m.date)}: {m.get_measure_display()}, {m.score.normalize():f}"
            for m in self.held.scores
        ]

    @property
    def handovers(self) -> list[str]:
        return [
            f"{format_date(timezone.localdate(h.handed_over_at))}: "
            f"from {h.from_staff or 'nobody'} to {h.to_staff}"
            for h in self.held.handovers
        ]


@dataclass(frozen=True)
class SubjectAccessPage:
    held: Held
    today: date

    @property
    def about(self) -> Rows:
        return [*rows(self.held.person, PERSON), ("IPS service", self.held.person.service.name)]

    @property
    def merged(self) -> list[tuple[str, Rows]]:
        """Records of the same person merged into this one keep their own details (ADR 0021)."""
        return [
            (f"Record {other.client_id}, merged into this one", rows(other, PERSON))
            for other in self.held.merged
        ]

    @property
    def episodes(self) -> list[EpisodeView]:
        return [EpisodeView(e) for e in self.held.episodes]

    @property
    def stays(self) -> list[str]:
        """Hospital stays: "2 October 2024 to 30 October 2024: Mental health inpatient"."""
        return [
            f"{format_date(s.admission_date)} to "
            f"{format_date(s.discharge_date) if s.discharge_date else 'still in hospital'}: "
            f"{s.get_setting_display()}"
            for s in self.held.stays
        ]

    @property
    def messages(self) -> list[MessageView]:
        return [MessageView(m) for m in self.held.messages]

    @property
    def accesses(self) -> list[AccessRow]:
        return [AccessRow(e) for e in self.held.accesses]

    @property
    def produced(self) -> str:
        return format_date(self.today)
