"""The month an extract covers (MHSDS is submitted month by month) and the NHS settings."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from openips.core import rules
from openips.outcomes.metrics import Period

MONTHS_OFFERED = 36


def month_period(text: str) -> Period:
    start = date.fromisoformat(f"{text}-01")
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(start, end)


def recent_months(today: date) -> list[date]:
    first, found = today.replace(day=1), []
    for _ in range(MONTHS_OFFERED):
        found.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return found


class MonthForm(forms.Form):
    month = forms.ChoiceField(
        label="Reporting month",
        error_messages={"invalid_choice": "Select a month from the list"},
    )

    def __init__(self, data: object, today: date) -> None:
        months = recent_months(today)
        default = months[1]  # the last whole month
        super().__init__(data, initial={"month": f"{default:%Y-%m}"})  # type: ignore[arg-type]
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]  # type: ignore[attr-defined]

    @property
    def period(self) -> Period:
        chosen = self.cleaned_data["month"] if self.is_bound else self.initial["month"]
        return month_period(chosen)


class SettingsForm(forms.Form):
    # Written out, not taken from the models with fields_for_model: a model field's form field
    # does not carry the model's validators, and this form must refuse what the save would.
    ods_code = forms.CharField(
        label="ODS code of the trust",
        max_length=10,
        required=False,
        validators=[rules.ID],
        help_text="The provider's code in the Organisation Data Service, like RX4",
    )
    submitter_ods_code = forms.CharField(
        label="ODS code of the submitting organisation (optional)",
        max_length=10,
        required=False,
        validators=[rules.ID],
        help_text="Leave blank if the trust submits its own MHSDS data",
    )
    mhsds_team_id = forms.CharField(
        label="MHSDS team local identifier",
        max_length=200,
        required=False,
        validators=[rules.ID],
        help_text="The identifier the trust's clinical system gives this IPS team",
    )
