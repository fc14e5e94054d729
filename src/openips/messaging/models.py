"""One row per message: claimed before it is sent, so that it is sent at most once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from openips.core import rules

if TYPE_CHECKING:
    from openips.accounts.models import User


class Purpose(models.TextChoices):
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly caseload summary"


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class Status(models.TextChoices):
    """Ours (pending, sending while the call is under way, failed, logged) and GOV.UK Notify's
    own names for where a notification is (its delivery receipts)."""

    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Sending"
    CREATED = "created", "Accepted by GOV.UK Notify"
    DELIVERED = "delivered", "Delivered"
    SENT = "sent", "Sent abroad (no delivery receipt)"
    PERMANENT_FAILURE = "permanent-failure", "Not delivered: the number or address is wrong"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered: phone or inbox unavailable"
    TECHNICAL_FAILURE = "technical-failure", "Not delivered: a problem at GOV.UK Notify"
    FAILED = "failed", "Not sent"
    LOGGED = "logged", "Logged, not sent (no GOV.UK Notify key is set)"


# Where a message ends: no receipt moves it on from these.
FINAL = frozenset(
    {
        Status.DELIVERED,
        Status.SENT,
        Status.PERMANENT_FAILURE,
        Status.TEMPORARY_FAILURE,
        Status.TECHNICAL_FAILURE,
        Status.FAILED,
        Status.LOGGED,
    }
)


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: User) -> MessageQuerySet:
        """Messages to clients the user may see (staff summaries are nobody's record)."""
        from openips.clients.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class Message(models.Model):
    """A message to a client (`person`) or to a member of staff (`user`). `key` names what it
    is for (this appointment's reminder, this user's summary for this week): the database
    refuses a second row with it, so however many runs or workers try, one message is sent."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appointment = models.ForeignKey(
        "casework.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template_id = models.CharField(max_length=36, blank=True, validators=[rules.TEXT])
    key = models.CharField(max_length=100, validators=[rules.TEXT])
    to = models.CharField("sent to", max_length=254, blank=True, validators=[rules.TEXT])
    # The template's placeholders as sent: names, dates, places, counts; nothing clinical.
    personalisation = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(
        "why it was not sent", max_length=200, blank=True, validators=[rules.TEXT]
    )
    notify_id = models.UUIDField("GOV.UK Notify id", null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0, validators=[rules.Between(0, 100)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="message_unique_key"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False),
                name="message_has_a_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} by {self.get_channel_display().lower()}"

    @property
    def reference(self) -> str:
        """What Notify keeps beside the notification and echoes in its receipts: no personal
        information, as Notify asks."""
        return f"openips-message-{self.pk}"
