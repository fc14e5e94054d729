"""Whether, and how, a client is reminded: read from their record alone, no query."""

from __future__ import annotations

from dataclasses import dataclass

from openips.clients.codes import ContactMethod
from openips.clients.models import Person
from openips.messaging.catalogue import (
    APPOINTMENT_REMINDER_EMAIL,
    APPOINTMENT_REMINDER_SMS,
    Template,
)

BY_PHONE = (ContactMethod.PHONE, ContactMethod.TEXT_MESSAGE)


@dataclass(frozen=True)
class Route:
    template: Template | None  # None: no reminder
    to: str = ""
    why_not: str = ""  # when there is no reminder, why, for the record page


def reminder_route(person: Person) -> Route:
    """A text when they have a phone and prefer phone or text (or have no email); an email when
    they have an address; nothing without their consent, after they stopped messages, or
    without a number or address to use."""
    if person.messages_stopped_at is not None:  # consent given again clears it
        return Route(None, why_not="they asked for no more messages")
    if person.message_consent is not True:
        return Route(None, why_not="no consent to messages recorded")
    phone, email = person.phone.strip(), person.email.strip()
    if phone and (person.preferred_contact in BY_PHONE or not email):
        return Route(APPOINTMENT_REMINDER_SMS, phone)
    if email:
        return Route(APPOINTMENT_REMINDER_EMAIL, email)
    return Route(None, why_not="no phone number or email address recorded")
