"""The audit trail: append-only events. Nothing in the application can change or delete one.

The ORM refuses updates and deletes here, and database triggers (see the migrations) refuse them
underneath, so neither a bug nor a raw query in application code can rewrite history.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched for people"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    ANONYMISE = "anonymise", "Anonymised"
    MERGE = "merge", "Merged records"
    UNDO_MERGE = "undo_merge", "Undid a merge"
    AWAITING_SECOND_FACTOR = "first_factor", "Signed in, security code to come"
    SIGN_IN = "sign_in", "Signed in"
    SECOND_FACTOR_FAILED = "otp_failed", "Security code refused"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGN_OUT = "sign_out", "Signed out"
    ROLE_CHANGE = "role_change", "Role changed"
    VIEW_AUDIT = "view_audit", "Viewed audit trail"
    ACCESS_REQUESTED = "access_requested", "Asked for access"
    ACCESS_APPROVED = "access_approved", "Approved access"
    ACCESS_REFUSED = "access_refused", "Refused access"
    ACCESS_WITHDRAWN = "access_withdrawn", "Withdrew a request for access"
    PASSWORD_CHANGE = "password_change", "Changed password"
    PASSWORD_RESET = "password_reset", "Set a new password"
    MESSAGE = "message", "Sent a message"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: an account with a history is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="Username as it was at the time")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    # Plain ids, not foreign keys: the trail outlives what it describes.
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    service_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["actor", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display().lower()} {self.object_label}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted")


class EarlierValue(models.Model):
    """What a field held before an edit or a deletion, as it was shown (ADR 0020).

    Not part of the append-only trail: it holds personal values, so anonymising a person deletes
    the earlier values of every event about them. The event keeps the field's name either way.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="earlier_values")
    field = models.CharField(max_length=60)
    label = models.CharField(max_length=200, help_text="The field's label at the time")
    value = models.TextField(blank=True, help_text="The earlier value as the page showed it")

    class Meta:
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: was {self.value}"
