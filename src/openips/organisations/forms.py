"""The programme a service delivers, and the day it applies from."""

from __future__ import annotations

from django import forms

from openips.core.forms import NHSDateField
from openips.core.rules import declared
from openips.organisations import programmes
from openips.organisations.models import ServiceProgramme


class ProgrammeForm(forms.Form):
    programme = forms.ChoiceField(
        label="Programme",
        choices=programmes.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the programme the service delivers"},
    )
    valid_from = NHSDateField(
        label="Date it applies from",
        validators=declared(ServiceProgramme, "valid_from"),
        help_text="A past date, today, or up to a year from today. For example, 1 4 2026",
    )

    @staticmethod
    def hints() -> dict[str, str]:
        """Each programme's one-line description, shown under its radio."""
        return {p.code: p.description for p in programmes.PROGRAMMES.values()}
