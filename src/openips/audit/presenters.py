from dataclasses import dataclass

from openips.audit.models import AuditEvent
from openips.core.formatting import format_datetime


@dataclass
class EventRow:
    event: AuditEvent

    @property
    def when(self) -> str:
        return format_datetime(self.event.occurred_at)

    @property
    def what(self) -> str:
        return self.event.get_action_display()

    @property
    def record(self) -> str:
        return self.event.object_label or "–"

    @property
    def changed_fields(self) -> str:
        return ", ".join(sorted(self.event.changes)) or "–"

    @property
    def where_from(self) -> str:
        return self.event.ip_address or "–"
