"""Messages as the client's record shows them: what was sent, how, and where it got to; and for
a planned appointment, whether a reminder will go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openips.casework.models import Appointment
from openips.clients.models import Person
from openips.core.formatting import format_date, format_datetime
from openips.messaging.channels import reminder_route
from openips.messaging.models import Message, Status


def reminder_text(
    appointment: Appointment, person: Person, sent: Message | None, today: date
) -> str:
    """ "Text message to 07700 900123, the day before", or why none will go, or how it went."""
    if sent is not None:
        return f"{sent.get_channel_display()}: {sent.get_status_display().lower()}"
    if appointment.date <= today:
        return "None sent"
    route = reminder_route(person)
    if route.template is None:
        return f"None: {route.why_not}"
    return f"{route.template.channel.label} to {route.to}, the day before"


def consent_text(person: Person, stopped_by: str) -> str:
    if person.messages_stopped_at is not None:
        when = format_datetime(person.messages_stopped_at)
        return f"No: messages stopped on {when}, by {stopped_by}"
    if person.message_consent is None:
        return "Not asked yet"
    return "Yes" if person.message_consent else "No"


@dataclass(frozen=True)
class MessageRow:
    message: Message

    @property
    def when(self) -> str:
        m = self.message
        return format_datetime(m.sent_at or m.created_at)

    @property
    def what(self) -> str:
        m = self.message
        if m.appointment is not None:
            return f"{m.get_purpose_display()} for {format_date(m.appointment.date)}"
        return m.get_purpose_display()

    @property
    def how(self) -> str:
        m = self.message
        return f"{m.get_channel_display()} to {m.to}" if m.to else m.get_channel_display()

    @property
    def status(self) -> str:
        m = self.message
        shown = m.get_status_display()
        return f"{shown}. {m.reason}" if m.reason else shown

    @property
    def failed(self) -> bool:
        return self.message.status in (
            Status.FAILED,
            Status.PERMANENT_FAILURE,
            Status.TEMPORARY_FAILURE,
            Status.TECHNICAL_FAILURE,
        )
