"""The administrator's forms: a study, and a named person's access to its extract."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from openips.accounts.models import User
from openips.core.formatting import format_date
from openips.core.forms import NHSDateField
from openips.core.rules import declared
from openips.organisations.models import Service
from openips.research.models import Study, StudyAccess

YES_NO = [("yes", "Yes"), ("no", "No")]


class StudyForm(forms.Form):
    name = forms.CharField(
        label="Name of the study",
        max_length=200,
        validators=declared(Study, "name"),
        error_messages={"required": "Enter the name of the study"},
    )
    reference = forms.CharField(
        label="Approval reference",
        max_length=100,
        validators=declared(Study, "reference"),
        help_text="The ethics or approval reference, for example IRAS 312345",
        error_messages={"required": "Enter the approval reference"},
    )
    # Choices of the services in view, as text: a hostile value is simply not one of them.
    services = forms.MultipleChoiceField(
        label="Services whose records it covers",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one service",
            "invalid_choice": "Select the services from the list",
        },
    )
    start = NHSDateField(
        label="First acceptance date",
        validators=declared(Study, "start"),
        help_text="Episodes accepted from this day. For example, 1 4 2021",
    )
    end = NHSDateField(
        label="Last acceptance date",
        validators=declared(Study, "end"),
        help_text="To this day. For example, 31 3 2026",
    )
    with_gender = forms.ChoiceField(
        label="Does gender travel with the data?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Each characteristic that travels makes small groups, and so refusals, likelier",
        error_messages={"required": "Select yes if gender travels with the data"},
    )
    with_ethnicity = forms.ChoiceField(
        label="Does ethnicity travel with the data?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if ethnicity travels with the data"},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_view = {str(s.pk): s for s in services}
        field = self.fields["services"]
        field.choices = [(pk, s.name) for pk, s in self.in_view.items()]  # type: ignore[attr-defined]

    def chosen_services(self) -> list[Service]:
        return [self.in_view[pk] for pk in self.cleaned_data["services"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                f"Last acceptance date must be on or after the first, {format_date(start)}",
            )
        return data

    def study_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "reference": d["reference"],
            "start": d["start"],
            "end": d["end"],
            "with_gender": d["with_gender"] == "yes",
            "with_ethnicity": d["with_ethnicity"] == "yes",
        }


class AccessForm(forms.Form):
    user = forms.ModelChoiceField(
        User.objects.none(),
        label="Who may take the extract",
        empty_label="Choose a person",
        error_messages={"required": "Choose who may take the extract"},
    )
    starts = NHSDateField(label="From", validators=declared(StudyAccess, "starts"))
    ends = NHSDateField(
        label="Until",
        validators=declared(StudyAccess, "ends"),
        help_text="The last day of the approval. For example, 31 3 2027",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts": today})
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        self.fields["user"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", f"Until must be on or after {format_date(starts)}")
        return data
