"""Where a message goes: GOV.UK Notify, or (with no NOTIFY_API_KEY) the log, which records what
would have been sent and sends nothing. Notify's answers are sorted into what the sender does
next: Busy (try again: nothing was created), Refused (give up, with the reason) and Unanswered
(no answer at all: the notification may or may not exist)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from openips.messaging.models import Channel, Message, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    status: Status
    notify_id: str | None = None


class NotSent(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


class Busy(NotSent):
    """429 (rate or daily limit) or 5xx: Notify created nothing, so sending again is safe."""


class Refused(NotSent):
    """400 or 403 (a bad number, a bad key, trial mode): sending again would fail the same way."""


class Unanswered(NotSent):
    """No answer (a timeout, a dropped connection): look before sending again."""


class Backend(Protocol):
    def send(self, message: Message) -> Sent: ...

    def find(self, reference: str) -> str | None:
        """The id of a notification already made with this reference, if any."""
        ...


class LogBackend:
    """Nothing leaves: the message row, marked logged, is the record of what would have gone."""

    def send(self, message: Message) -> Sent:
        log.info(
            "Not sent (no NOTIFY_API_KEY): %s %s, message %s, placeholders %s",
            message.purpose,
            message.channel,
            message.pk,
            sorted(message.personalisation),
        )
        return Sent(Status.LOGGED)

    def find(self, reference: str) -> str | None:
        return None


def _reason(error: APIError) -> str:
    """ "400 ValidationError: phone_number Not a UK mobile number", from Notify's error body."""
    said: Any = error.message
    if isinstance(said, list):
        said = "; ".join(
            f"{e.get('error', '')}: {e.get('message', '')}" for e in said if isinstance(e, dict)
        )
    return f"{error.status_code} {said}".strip()


def _sorted(error: APIError) -> NotSent:
    if error.response is None:
        return Unanswered(f"No answer from GOV.UK Notify: {error}")
    code = error.status_code
    if code == 429 or code >= 500:
        return Busy(_reason(error))
    return Refused(_reason(error))


class NotifyBackend:
    def __init__(self, api_key: str, base_url: str, timeout: int) -> None:
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)

    def send(self, message: Message) -> Sent:
        common = {
            "template_id": message.template_id,
            "personalisation": message.personalisation,
            "reference": message.reference,
        }
        try:
            if message.channel == Channel.SMS:
                answer = self.client.send_sms_notification(phone_number=message.to, **common)
            else:
                answer = self.client.send_email_notification(email_address=message.to, **common)
        except APIError as error:
            raise _sorted(error) from error
        return Sent(Status.CREATED, str(answer["id"]))

    def find(self, reference: str) -> str | None:
        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as error:
            raise _sorted(error) from error
        notifications = found.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None


def backend() -> Backend:
    key: str = settings.NOTIFY_API_KEY
    if not key:
        return LogBackend()
    return NotifyBackend(key, settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT_SECONDS)
