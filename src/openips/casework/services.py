"""Writes to casework records. Each is audited."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openips.accounts.models import User
from openips.casework.codes import (
    AppointmentStatus,
    ContactWith,
    DeletionReason,
    Mode,
    Purpose,
    Setting,
)
from openips.casework.models import Appointment, Contact, Intervention, VocationalProfile
from openips.clients.models import Episode
from openips.core import services as core
from openips.organisations.models import StaffMember


def staff_record(user: User) -> StaffMember:
    """The staff member who is this user; contacts are always recorded as someone's work."""
    staff = StaffMember.objects.filter(user=user).first() if user.service_id else None
    if staff is None:
        raise PermissionDenied("This account is not linked to a member of staff")
    return staff


def record_contact(actor: User, episode: Episode, data: dict[str, Any]) -> Contact:
    contact = Contact(
        service=episode.service,
        episode=episode,
        staff=staff_record(actor),
        contact_id=f"W{uuid.uuid4().hex[:10].upper()}",
        **data,
    )
    return core.create(actor, contact)


def change_contact(actor: User, contact: Contact, *, started_from: int, **data: Any) -> Contact:
    """Correct a contact; its earlier values are kept beside the audit event (ADR 0020)."""
    for name, value in data.items():
        setattr(contact, name, value)
    return core.update(actor, contact, started_from=started_from)


def delete_contact(
    actor: User, contact: Contact, *, started_from: int, reason: str, note: str = ""
) -> Contact:
    """Hide a contact recorded by mistake from everything but the person's trail."""
    return core.delete(
        actor,
        contact,
        started_from=started_from,
        reason=DeletionReason(reason),
        deleted_at=timezone.now(),
        deleted_by=actor,
        deletion_reason=reason,
        deletion_note=note,
    )


@transaction.atomic
def save_profile(
    actor: User,
    episode: Episode,
    *,
    started_from: int,
    started: date | None = None,
    **sections: Any,
) -> VocationalProfile:
    """Save a new version of the profile; the first one also marks the start of engagement.
    Only the first changes the episode, so only the first can meet someone else's edit."""
    latest = episode.profiles.aggregate(latest=Max("version"))["latest"] or 0
    profile = VocationalProfile(episode=episode, version=latest + 1, recorded_by=actor, **sections)
    if episode.vocational_profile_date is None:
        if started is None:
            raise ValueError("The first version needs the date the profile was started")
        episode.vocational_profile_date = started
        core.update(actor, episode, started_from=started_from)
    return core.create(actor, profile)


def record_employer_contact(actor: User, data: dict[str, Any]) -> Contact:
    staff = staff_record(actor)
    contact = Contact(
        service=staff.service,
        staff=staff,
        contact_id=f"W{uuid.uuid4().hex[:10].upper()}",
        contact_with=ContactWith.EMPLOYER,
        purpose=Purpose.JOB_DEVELOPMENT,
        setting=Setting.COMMUNITY if data["mode"] == Mode.FACE_TO_FACE else "",
        **data,
    )
    return core.create(actor, contact)


def add_intervention(actor: User, episode: Episode, intervention: Intervention) -> Intervention:
    intervention.episode = episode
    return core.create(actor, intervention)


class AppointmentRefused(Exception):
    """An appointment that cannot take this step: not planned any more, or not yet due."""


def plan_appointment(actor: User, episode: Episode, data: dict[str, Any]) -> Appointment:
    """Plan a contact with the client, today or later, as the planner's own work."""
    if data["date"] < timezone.localdate():
        raise AppointmentRefused("An appointment is planned for today or later")
    appointment = Appointment(
        service=episode.service, episode=episode, staff=staff_record(actor), **data
    )
    return core.create(actor, appointment)


def cancel_appointment(actor: User, appointment: Appointment, *, started_from: int) -> Appointment:
    if appointment.status != AppointmentStatus.PLANNED:
        raise AppointmentRefused("Only a planned appointment can be cancelled")
    appointment.status = AppointmentStatus.CANCELLED
    return core.update(actor, appointment, started_from=started_from)


@transaction.atomic
def record_outcome(
    actor: User,
    appointment: Appointment,
    *,
    started_from: int,
    attended: bool,
    minutes: int | None = None,
    setting: str = "",
    notes: str = "",
) -> Appointment:
    """What happened at a planned appointment, today or before: an ordinary contact, recorded
    through `record_contact` (attended, or not: a contact that did not happen, which no figure
    counts), and linked from the appointment. A version conflict undoes both."""
    if appointment.status != AppointmentStatus.PLANNED:
        raise AppointmentRefused("What happened has already been recorded")
    if appointment.date > timezone.localdate():
        raise AppointmentRefused("What happened is recorded on the day or after")
    contact = record_contact(
        actor,
        appointment.episode,
        {
            "date": appointment.date,
            "contact_with": ContactWith.CLIENT,
            "mode": appointment.mode,
            "setting": setting if appointment.mode == Mode.FACE_TO_FACE else "",
            "minutes": minutes if attended else None,
            "purpose": appointment.purpose,
            "attended": attended,
            "notes": notes,
        },
    )
    appointment.contact = contact
    appointment.status = (
        AppointmentStatus.ATTENDED if attended else AppointmentStatus.DID_NOT_ATTEND
    )
    return core.update(actor, appointment, started_from=started_from)
