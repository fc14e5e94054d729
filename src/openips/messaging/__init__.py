"""Messages to clients and staff through GOV.UK Notify: appointment reminders, the weekly
caseload summary, their delivery receipts (docs/messaging.md, ADR 0030)."""
