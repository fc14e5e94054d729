"""The GOV.UK Notify templates OpenIPS sends, each with the placeholders its text may use. Each
template is written in Notify (docs/messaging.md gives the wording); its id comes from the
NOTIFY_TEMPLATES setting. Placeholders hold names, dates, places and counts: never anything
clinical, and never why someone sees an employment specialist."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from openips.messaging.models import Channel, Purpose


@dataclass(frozen=True)
class Template:
    name: str  # its key in NOTIFY_TEMPLATES
    purpose: Purpose
    channel: Channel
    fields: tuple[str, ...]  # the ((placeholders)) the template uses, every one always given

    @property
    def template_id(self) -> str:
        ids: dict[str, str] = settings.NOTIFY_TEMPLATES
        return ids.get(self.name, "")

    def personalise(self, **values: str) -> dict[str, str]:
        """Exactly the template's placeholders: Notify refuses a message missing one, and a
        value it does not use has no business being sent."""
        if set(values) != set(self.fields):
            raise ValueError(f"{self.name} takes {sorted(self.fields)}, not {sorted(values)}")
        return {name: values[name] for name in self.fields}


REMINDER_FIELDS = ("first_name", "date", "time", "place", "staff_first_name")
APPOINTMENT_REMINDER_SMS = Template(
    "appointment_reminder_sms", Purpose.APPOINTMENT_REMINDER, Channel.SMS, REMINDER_FIELDS
)
APPOINTMENT_REMINDER_EMAIL = Template(
    "appointment_reminder_email", Purpose.APPOINTMENT_REMINDER, Channel.EMAIL, REMINDER_FIELDS
)
WEEKLY_SUMMARY_EMAIL = Template(
    "weekly_summary_email",
    Purpose.WEEKLY_SUMMARY,
    Channel.EMAIL,
    (
        "first_name",
        "week_of",  # "7 December 2026", the Monday
        "total",
        "urgent",
        "not_seen",
        "waiting",
        "employer_contact_overdue",
        "employer_contact_due",
        "in_work_support",
        "no_benefits_counselling",
        "anniversary",
        "retention_at_risk",
        "retention_review",
        "retention_left",
        "time_limit",
        "link",  # the caseload page
    ),
)
TEMPLATES = {
    t.name: t for t in (APPOINTMENT_REMINDER_SMS, APPOINTMENT_REMINDER_EMAIL, WEEKLY_SUMMARY_EMAIL)
}
