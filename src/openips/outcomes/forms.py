"""The choice of period on the commissioner's page: a month end, never a free date (ADR 0014)."""

from __future__ import annotations

from datetime import date

from django import forms

from openips.core.formatting import format_date


class PeriodEndForm(forms.Form):
    """Rendered, not read: the view parses `as_of` itself (core.params) and snaps it to a month
    end, so the select only shows the choices and which one is in force."""

    as_of = forms.ChoiceField(label="Figures for the 12 months to")

    def __init__(self, ends: list[date], chosen: date) -> None:
        super().__init__(initial={"as_of": chosen.isoformat()})
        field: forms.ChoiceField = self.fields["as_of"]  # type: ignore[assignment]
        field.choices = [(end.isoformat(), format_date(end)) for end in ends]
