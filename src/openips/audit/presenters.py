from dataclasses import dataclass

from openips.accounts.presenters import name_and_role
from openips.audit.models import AuditEvent
from openips.core.formatting import format_datetime


@dataclass
class EventRow:
    event: AuditEvent
    client_id: str | None = None  # the person's client id today, when the reader may see them

    @property
    def when(self) -> str:
        return format_datetime(self.event.occurred_at)

    @property
    def who(self) -> str:
        """The account's holder by name and role; a command line or an unknown username as
        recorded (the caller selects `actor__staff_member`)."""
        if self.event.actor is None:
            return self.event.actor_label or "–"
        return name_and_role(self.event.actor)

    @property
    def what(self) -> str:
        return self.event.get_action_display()

    @property
    def record(self) -> str:
        label = self.event.object_label or "–"
        return f"{label} ({self.client_id})" if self.client_id else label

    @property
    def changed_fields(self) -> str:
        return ", ".join(self.event.changes.get("fields", [])) or "–"

    @property
    def where_from(self) -> str:
        return self.event.ip_address or "–"
