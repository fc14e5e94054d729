"""How employment records read on a page."""

from __future__ import annotations

from openips.core.formatting import field_label, format_date
from openips.employment.models import EmploymentRecord

ANSWERS = [
    "employment_status",
    "weekly_hours",
    "self_employed",
    "sick_absence",
    "statutory_sick_pay",
    "benefits_received",
    "esa",
    "universal_credit",
    "pip",
    "employment_support_suitable",
]


def saved_answers(record: EmploymentRecord) -> list[tuple[str, str]]:
    """A Talking Therapies employment record as saved: each answer by its label, "Not known" for
    a yes-or-no answer that is not (and for one asked only of someone employed, when not)."""
    shown = [("Date recorded", format_date(record.recorded_on))]
    for name in ANSWERS:
        words = getattr(record, f"get_{name}_display")()
        shown.append((field_label(EmploymentRecord, name), words))
    return shown
