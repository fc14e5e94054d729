from dataclasses import dataclass, field

from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.core.formatting import format_datetime


@dataclass
class EventRow:
    event: AuditEvent
    client_id: str | None = None  # the person's client id today, when the reader may see them
    earlier: list[EarlierValue] = field(default_factory=list)
    deletion: str = ""  # why a deleted record was deleted, read from the record (ADR 0020)

    @property
    def when(self) -> str:
        return format_datetime(self.event.occurred_at)

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
    def history(self) -> list[str]:
        """What an edit changed, or what a deleted record said: "Changed Date: was 4 March 2026"."""
        deleted = self.event.action == AuditAction.DELETE
        lines = [f"Reason: {self.deletion}"] if deleted and self.deletion else []
        verb = "" if deleted else "Changed "
        return lines + [f"{verb}{e.label}: was {e.value or 'empty'}" for e in self.earlier]

    @property
    def where_from(self) -> str:
        return self.event.ip_address or "–"
