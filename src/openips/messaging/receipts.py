"""Delivery receipts: GOV.UK Notify tells us where each notification got to."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from uuid import UUID

from django.db import transaction

from openips.messaging.models import FINAL, Message, Status

log = logging.getLogger(__name__)

# Notify's statuses as ours. "pending" is an SMS waiting for the network's receipt.
NOTIFY_STATUSES = {
    "created": Status.CREATED,
    "sending": Status.SENDING,
    "pending": Status.SENDING,
    "delivered": Status.DELIVERED,
    "sent": Status.SENT,
    "permanent-failure": Status.PERMANENT_FAILURE,
    "temporary-failure": Status.TEMPORARY_FAILURE,
    "technical-failure": Status.TECHNICAL_FAILURE,
}
OUR_REFERENCE = re.compile(r"\Aopenips-message-(\d{1,18})\Z")


@transaction.atomic
def take_receipt(
    notify_id: UUID, reference: str, status: str, completed_at: datetime | None
) -> Message | None:
    """The message the receipt is about, brought up to date; None when it is not ours. A
    message sent without an answer (so without Notify's id) is found by its reference."""
    message = Message.objects.select_for_update().filter(notify_id=notify_id).first()
    if message is None and (ours := OUR_REFERENCE.match(reference or "")):
        message = (
            Message.objects.select_for_update()
            .filter(pk=int(ours[1]), notify_id__isnull=True)
            .first()
        )
        if message is not None:
            message.notify_id = notify_id
    if message is None:
        return None
    new = NOTIFY_STATUSES.get(status)
    if new is None:
        log.warning("Receipt for message %s with a status we do not know: %r", message.pk, status)
    elif message.status not in FINAL:  # receipts may come out of order; the last one stands
        message.status = new
        message.completed_at = completed_at
        if message.reason.startswith("Not known whether it was sent"):
            message.reason = ""
    message.save()
    return message
