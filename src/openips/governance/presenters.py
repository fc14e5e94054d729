from dataclasses import dataclass, field

from openips.accounts.presenters import name_and_role
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
        # Field names are what the trail keeps (ADR 0017); the page says them in words.
        return ", ".join(held_label(str(n)) for n in self.event.changes.get("fields", [])) or "–"

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


_WORDS = {"nhs": "NHS", "id": "ID", "es": "ES", "fte": "FTE", "esa": "ESA", "uc": "UC"}


def held_label(key: str) -> str:
    """A field of the subject-access bundle named in words: "nhs_number" → "NHS number"."""
    words = [_WORDS.get(w, w) for w in key.split("_")]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])
