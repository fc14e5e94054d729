"""Sending one message at most once (ADR 0030).

1. Claim: the message's row is created with its unique key, then moved from pending to sending
   by a conditional update. Only the run whose update changed the row goes on; every other run
   (a second worker, the schedule run twice, a run after a crash) finds it taken and stops.
2. Send, outside any transaction, retrying with exponential backoff while Notify answers 429 or
   5xx (it created nothing). A request that got no answer may have created a notification:
   before trying again, ask Notify for one with the message's reference.
3. Record the outcome on the row and, for every message sent, logged or refused, on the
   trail of the person it was to.

Still busy after the last attempt, the message goes back to pending: a later run takes it
again. Unanswered after the last attempt, it stays sending, and nothing sends it again by
itself: a second copy is worse than a message someone has to check (docs/messaging.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.casework.models import Appointment
from openips.clients.models import Person
from openips.messaging.backends import Backend, Busy, Refused, Sent, Unanswered, backend
from openips.messaging.catalogue import Template
from openips.messaging.models import Message, Status

ACTOR = "GOV.UK Notify messages"  # who the trail says sent it: the schedule, not a person


@dataclass
class Outgoing:
    """A message to send: what it is for (the key), to whom, with which placeholders."""

    key: str
    template: Template
    to: str
    personalisation: dict[str, str]
    person: Person | None = None
    user: User | None = None
    appointment: Appointment | None = None
    service_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def claim(out: Outgoing) -> Message | None:
    """The message, now this run's to send; None if another run has it or it went already."""
    message, _ = Message.objects.get_or_create(
        key=out.key,
        defaults={
            "service_id": out.service_id,
            "person": out.person,
            "user": out.user,
            "appointment": out.appointment,
            "purpose": out.template.purpose,
            "channel": out.template.channel,
            "template_id": out.template.template_id,
            "to": out.to,
            "personalisation": out.personalisation,
        },
    )
    # Taken again after a busy Notify, it goes as the record says now (a new number, say).
    won = Message.objects.filter(pk=message.pk, status=Status.PENDING).update(
        status=Status.SENDING,
        channel=out.template.channel,
        template_id=out.template.template_id,
        to=out.to,
        personalisation=out.personalisation,
        updated_at=timezone.now(),
    )
    if not won:
        return None
    message.refresh_from_db()
    return message


def send(out: Outgoing, via: Backend | None = None) -> Message | None:
    """Claim and send; the message as it ended, or None when it was not this run's to send."""
    message = claim(out)
    if message is not None:
        deliver(message, via or backend())
    return message


def deliver(message: Message, via: Backend) -> None:
    attempts: int = settings.NOTIFY_ATTEMPTS
    wait: float = settings.NOTIFY_RETRY_SECONDS
    unanswered = False
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            time.sleep(wait * 2 ** (attempt - 2))
        try:
            if unanswered and (found := via.find(message.reference)):
                return finish(message, Sent(Status.CREATED, found))  # it got there after all
            _count_attempt(message)
            return finish(message, via.send(message))
        except Refused as refused:
            return finish(message, Sent(Status.FAILED), reason=refused.reason)
        except Unanswered as lost:
            unanswered = True
            last = lost.reason
        except Busy as busy:
            last = busy.reason
    if unanswered:
        _note(message, Status.SENDING, f"Not known whether it was sent: {last}")
    else:
        _note(message, Status.PENDING, f"Not sent yet, GOV.UK Notify was busy: {last}")


def _count_attempt(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
    message.attempts += 1


def _note(message: Message, status: Status, reason: str) -> None:
    message.status, message.reason = status, reason[:200]
    message.save(update_fields=["status", "reason", "updated_at"])


@transaction.atomic
def finish(message: Message, sent: Sent, *, reason: str = "") -> None:
    message.status = sent.status
    message.reason = reason[:200]
    if sent.notify_id:
        message.notify_id = UUID(sent.notify_id)
    if sent.status != Status.FAILED:
        message.sent_at = timezone.now()
    message.save()
    record(
        AuditAction.MESSAGE,
        actor=None,
        actor_label=ACTOR,
        obj=message,
        details={
            "purpose": Code(message.purpose),
            "channel": Code(message.channel),
            "status": Code(message.status),
        },
    )
