"""The choice of period on the commissioner's page: a month end, never a free date (ADR 0014)."""

from __future__ import annotations

from datetime import date

from django import forms

from openips.core.formatting import format_date
from openips.core.forms import field_as


class PeriodEndForm(forms.Form):
    """Rendered, not read: the view parses `as_of` itself (core.params) and snaps it to a month
    end, so the select only shows the choices and which one is in force."""

    as_of = forms.ChoiceField(label="Figures for the 12 months to")

    def __init__(self, ends: list[date], chosen: date) -> None:
        super().__init__(initial={"as_of": chosen.isoformat()})
        field_as(self, "as_of", forms.ChoiceField).choices = [
            (end.isoformat(), format_date(end)) for end in ends
        ]
