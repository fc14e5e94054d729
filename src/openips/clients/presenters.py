"""How people read in lists, on the merge pages and in their contact details."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from openips.clients.codes import ContactMethod, RetentionStatus
from openips.clients.models import Episode, Person, PersonMerge, RetentionChange
from openips.clients.stages import retention_status, stage_of
from openips.core.formatting import format_date


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def episode_stage(episode: Episode, *, in_work: bool, latest_retention: str | None = None) -> str:
    """`latest_retention`: the status of the episode's latest change in work, if any."""
    retention = retention_status(episode, latest_retention)
    return stage_of(episode, in_work=in_work, retention=retention).label


def retention_now(episode: Episode, latest: RetentionChange | None) -> str:
    """Where a client employed at referral stands: "Back at work since 4 March 2026"."""
    if latest is None:
        status = RetentionStatus.AT_RISK.label
        return f"{status} since the referral on {format_date(episode.referral_date)}"
    if latest.status == RetentionStatus.LEFT:
        return f"Left the job on {format_date(latest.date)}"
    return f"{latest.get_status_display()} since {format_date(latest.date)}"


@dataclass
class ClientRow:
    person: Person
    latest: Episode | None

    @property
    def stage(self) -> str:
        if self.latest is None:
            return "–"
        return episode_stage(
            self.latest,
            in_work=getattr(self.latest, "in_work", False),
            latest_retention=getattr(self.latest, "latest_retention", None),
        )

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


def client_label(person: Person) -> str:
    """A client id with its service: the id is the organisation's, the service says where."""
    return f"{person.client_id} ({person.service.name})"


def yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return "Not asked yet"
    return "Yes" if value else "No"


def person_summary(person: Person) -> list[tuple[str, str]]:
    """Everything a merge's confirm page compares, side by side."""
    return [
        ("Client ID", client_label(person)),
        ("Name", f"{person.given_name} {person.family_name}".strip() or "Not recorded"),
        ("NHS number", format_nhs_number(person.nhs_number) or "Not recorded"),
        ("Date of birth", format_date(person.date_of_birth) or "Not recorded"),
        *contact_rows(person),
    ]


def contact_rows(person: Person) -> list[tuple[str, str]]:
    """How to reach the person, and whether they agreed to messages."""
    method = ContactMethod(person.preferred_contact).label if person.preferred_contact else ""
    return [
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
        when = format_date(timezone.localdate(self.merge.merged_at))  # the day in England
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
