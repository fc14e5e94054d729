"""Data-subject rights: everything held about one person, and anonymisation once the
retention period after their last discharge has passed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.presenters import name_and_role
from openips.audit.models import AuditAction, AuditEvent
from openips.audit.services import forget_earlier_values, record
from openips.benefits.models import Estimate
from openips.casework.models import Appointment, Contact, Intervention, VocationalProfile
from openips.clients.models import (
    Episode,
    Handover,
    HospitalStay,
    MeasureScore,
    Person,
    RetentionChange,
)
from openips.core.dates import add_years
from openips.employment.models import EmploymentRecord, Job
from openips.governance.held import held_values, plain
from openips.governance.queries import events_about
from openips.messaging.models import Message


@dataclass
class EpisodeHeld:
    episode: Episode
    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    profiles: list[VocationalProfile] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    retention_changes: list[RetentionChange] = field(default_factory=list)  # changes in work
    employment_records: list[EmploymentRecord] = field(default_factory=list)  # Talking Therapies
    scores: list[MeasureScore] = field(default_factory=list)  # outcome measures' totals


@dataclass
class Held:
    """Every record about one person, read in a fixed number of queries."""

    person: Person
    episodes: list[EpisodeHeld]
    accesses: list[AuditEvent]  # who has looked at or changed their record, latest first
    merged: list[Person] = field(default_factory=list)  # records of theirs merged into this one
    messages: list[Message] = field(default_factory=list)  # reminders sent to them, first first
    stays: list[HospitalStay] = field(default_factory=list)  # in hospital, first first


def _by_episode(held: dict[int, EpisodeHeld], name: str, records: Iterable[Any]) -> None:
    for r in records:
        getattr(held[r.episode_id], name).append(r)


def gather(person: Person) -> Held:
    episodes = Episode.objects.filter(person=person).select_related(
        "employment_specialist", "clinical_team"
    )
    held = {e.pk: EpisodeHeld(e) for e in episodes}
    mine = {"episode__person": person}
    _by_episode(
        held,
        "contacts",
        # Deleted contacts too: they are hidden, not gone (ADR 0020).
        Contact.with_deleted.filter(**mine)
        .select_related("staff", "employer")
        .order_by("date", "pk"),
    )
    _by_episode(
        held,
        "jobs",
        Job.objects.filter(**mine).select_related("employer").prefetch_related("changes"),
    )
    _by_episode(
        held,
        "profiles",
        VocationalProfile.objects.filter(**mine).select_related("recorded_by__staff_member"),
    )
    _by_episode(
        held,
        "estimates",
        Estimate.objects.filter(**mine).select_related("contact").order_by("contact__date", "pk"),
    )
    _by_episode(held, "interventions", Intervention.objects.filter(**mine))
    _by_episode(
        held, "handovers", Handover.objects.filter(**mine).select_related("from_staff", "to_staff")
    )
    _by_episode(
        held,
        "appointments",
        Appointment.objects.filter(**mine).select_related("staff").order_by("date", "time", "pk"),
    )
    _by_episode(
        held, "retention_changes", RetentionChange.objects.filter(**mine).order_by("date", "pk")
    )
    _by_episode(held, "employment_records", EmploymentRecord.objects.filter(**mine))
    _by_episode(held, "scores", MeasureScore.objects.filter(**mine).order_by("date", "measure_id"))
    merged = merged_records(person)
    accesses = list(events_about(person, *merged).select_related("actor__staff_member"))
    messages = list(
        Message.objects.filter(person__in=[person, *merged])
        .select_related("appointment")
        .order_by("created_at", "pk")
    )
    stays = HospitalStay.objects.filter(person__in=[person, *merged])
    return Held(
        person,
        list(held.values()),
        accesses,
        merged,
        messages,
        list(stays.order_by("admission_date", "admission_id")),
    )


def merged_records(person: Person) -> list[Person]:
    """Every record merged into this one, and those merged into them before (a chain of
    merges), one query per link."""
    found: list[Person] = []
    frontier = [person.pk]
    while frontier:
        batch = list(Person.objects.filter(merged_into__in=frontier).order_by("pk"))
        found += batch
        frontier = [p.pk for p in batch]
    return found


def bundle(held: Held) -> dict[str, Any]:
    """The machine-readable subject access file: plain JSON-ready values and codes, of exactly
    the fields `governance.held` allows for each kind of record."""
    person = held.person
    episodes = []
    for h in held.episodes:
        item = held_values(h.episode)
        item["contacts"] = [
            held_values(c) | {"deleted": c.deletion_summary}  # deleted contacts are still held
            for c in h.contacts
        ]
        item["jobs"] = [
            held_values(j) | {"changes": [held_values(c) for c in j.changes.all()]} for j in h.jobs
        ]
        item["vocational_profiles"] = [held_values(p) for p in h.profiles]
        item["benefit_estimates"] = [
            {"date": e.contact.date.isoformat(), **held_values(e)} for e in h.estimates
        ]
        item["handovers"] = [  # under the names the file has always given them
            {
                "date": timezone.localdate(ho.handed_over_at).isoformat(),
                "from": values["from_staff"],
                "to": values["to_staff"],
            }
            for ho in h.handovers
            if (values := held_values(ho))
        ]
        item["interventions"] = [held_values(i) for i in h.interventions]
        item["appointments"] = [held_values(a) for a in h.appointments]
        item["changes_in_work"] = [held_values(c) for c in h.retention_changes]
        item["talking_therapies_employment"] = [held_values(r) for r in h.employment_records]
        item["outcome_measures"] = [held_values(m) for m in h.scores]
        episodes.append(item)
    return {
        "schema": "openips.subject-access/1",
        "person": held_values(person),
        "service": person.service.name,
        # Records of the same person merged into this one keep their own details (ADR 0021).
        "merged_records": [held_values(other) for other in held.merged],
        "episodes": episodes,
        "hospital_stays": [held_values(s) for s in held.stays],
        "messages": [
            held_values(m)
            | {"appointment_date": plain(m.appointment.date) if m.appointment else None}
            for m in held.messages
        ],
        "record_accesses": [
            {
                "when": e.occurred_at.isoformat(),
                "who": name_and_role(e.actor, e.actor_label),
                "action": e.action,
                "record": e.object_label,
            }
            for e in held.accesses
        ],
    }


def subject_access(actor: User, person: Person) -> Held:
    """Everything held about the person, its giving recorded on their trail."""
    held = gather(person)
    record(
        AuditAction.EXPORT,
        actor=actor,
        obj=person,
        details={"subject_access": {"episodes": len(held.episodes)}},
    )
    return held


def everything_held(actor: User, person: Person) -> dict[str, Any]:
    """A subject access bundle: every record about the person, as plain JSON-ready values."""
    return bundle(subject_access(actor, person))


def retention_ends(person: Person) -> date | None:
    """The day after which the person may be anonymised; None while any episode is open."""
    discharges = list(
        Episode.objects.filter(person=person).values_list("discharge_date", flat=True)
    )
    if not discharges or any(d is None for d in discharges):
        return None
    last = max(d for d in discharges if d is not None)
    years: int = settings.RETENTION_YEARS_AFTER_DISCHARGE
    return add_years(last, years)


def _forget(person: Person) -> None:
    person.client_id = f"ANON{person.pk}"
    person.given_name = person.family_name = person.nhs_number = ""
    person.date_of_birth = None
    person.phone = person.email = person.address = person.postcode = ""
    person.preferred_contact = ""
    person.message_consent = None
    person.messages_stopped_at = person.messages_stopped_by = None
    person.save()


class RetentionNotOver(Exception):
    pass


# Sent inside anonymise()'s transaction, with `person`: an app above this floor that keeps
# something about a person (the FHIR interface: a sender's referral identifier) forgets it too.
anonymising = Signal()


@transaction.atomic
def anonymise(actor: User | None, person: Person, today: date) -> Person:
    """Remove what identifies the person; keep the anonymous records that outcome figures count.
    Without an actor it is the nightly schedule's work (governance.retention)."""
    ends = retention_ends(person)
    if ends is None or today <= ends:
        raise RetentionNotOver(ends)
    for each in [person, *merged_records(person)]:  # and the records merged into it
        _forget(each)
        forget_earlier_values(each.pk)  # the only personal values beside the trail (ADR 0020)
    Episode.objects.filter(person=person).update(care_coordinator="")
    # Deleted contacts too: they are hidden, not gone.
    Contact.with_deleted.filter(episode__person=person).update(notes="", deletion_note="")
    Estimate.objects.filter(episode__person=person).update(scenario={})  # the household's details
    Intervention.objects.filter(episode__person=person).update(description="")
    Appointment.objects.filter(episode__person=person).update(place="")
    # What messages said and where they went; that they were sent, and how, stays.
    Message.objects.filter(person__in=[person, *merged_records(person)]).update(
        to="", personalisation={}, reason=""
    )
    VocationalProfile.objects.filter(episode__person=person).update(
        preferred_jobs="",
        preferred_hours="",
        preferred_places="",
        work_history="",
        education="",
        skills_and_strengths="",
        barriers="",
        disclosure_preference="",
    )
    anonymising.send(sender=Person, person=person)
    record(
        AuditAction.ANONYMISE,
        actor=actor,
        actor_label="" if actor else "the schedule",
        obj=person,
        details={"retention_ended": ends},
    )
    return person
