"""Appointment reminders: one message, the day before, to each client who agreed to messages."""

from __future__ import annotations

from datetime import date

from openips.casework.codes import AppointmentStatus, Mode
from openips.casework.models import Appointment
from openips.core.formatting import format_date, format_time
from openips.messaging.backends import Backend, backend
from openips.messaging.channels import reminder_route
from openips.messaging.sending import Outgoing, send

# How a reminder says where, for an appointment that is not somewhere (the ((place)) field).
WHERE = {
    Mode.PHONE: "by phone",
    Mode.VIDEO: "by video call",
    Mode.TEXT: "by text message",
    Mode.EMAIL: "by email",
    Mode.LETTER: "by letter",
}


def where(appointment: Appointment) -> str:
    if appointment.mode == Mode.FACE_TO_FACE:
        return f"at {appointment.place}" if appointment.place else "at the place you agreed"
    return WHERE.get(Mode(appointment.mode), "")


def reminder_for(appointment: Appointment) -> Outgoing | None:
    person = appointment.episode.person
    route = reminder_route(person)
    if route.template is None:
        return None
    personalisation = route.template.personalise(
        first_name=person.given_name.strip() or "there",
        date=f"{appointment.date:%A} {format_date(appointment.date)}",
        time=format_time(appointment.time),
        place=where(appointment),
        staff_first_name=appointment.staff.name.split()[0],
    )
    return Outgoing(
        key=f"appointment_reminder:{appointment.pk}",
        template=route.template,
        to=route.to,
        personalisation=personalisation,
        person=person,
        appointment=appointment,
        service_id=appointment.service_id,
    )


def send_reminders(day: date, via: Backend | None = None) -> int:
    """Remind every client with a planned appointment on `day`; the number sent by this run
    (a message another run claimed is not sent again)."""
    appointments = (
        Appointment.objects.filter(
            date=day, status=AppointmentStatus.PLANNED, episode__discharge_date__isnull=True
        )
        .select_related("episode__person", "staff")
        .order_by("time", "pk")
    )
    via = via or backend()
    sent = 0
    for appointment in appointments:
        out = reminder_for(appointment)
        if out is not None and send(out, via) is not None:
            sent += 1
    return sent
