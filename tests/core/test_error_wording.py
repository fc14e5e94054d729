"""Every error message built from a label reads as an English sentence."""

from __future__ import annotations

from datetime import date

from django import forms

from openips.benefits.forms import ScenarioForm
from openips.core.forms import error_text, in_sentence
from openips.employment.forms import JobChangeForm
from openips.employment.models import Job
from openips.fidelity.forms import ActionForm


def first_error(form: forms.Form, name: str) -> str:
    assert not form.is_valid()
    return error_text(form[name])


def test_the_4_hour_confirmation_date_is_named_in_its_messages() -> None:
    form = JobChangeForm({"start_confirmed": "yes"}, job=Job(start_date=date(2025, 1, 6)))
    assert first_error(form, "effective_date") == "Enter the date the change applies from"
    form = JobChangeForm(
        {"effective_date_day": "3", "effective_date_month": "", "effective_date_year": "2025"},
        job=Job(start_date=date(2025, 1, 6)),
    )
    assert first_error(form, "effective_date") == (
        "Date the change applies from must include a month"
    )


def test_the_action_plan_due_date() -> None:
    assert ActionForm.base_fields["due"].error_messages["required"] == (
        "Enter the date it is due by"
    )


def test_benefits_numbers_keep_their_capitals_and_articles() -> None:
    fields = ScenarioForm.base_fields
    assert fields["claimant_age"].error_messages["required"] == "Enter the client's age"
    assert fields["esa_weekly"].error_messages["required"] == "Enter the new-style ESA a week"
    form = ScenarioForm({"household": "couple"}, today=date(2026, 12, 2))
    assert first_error(form, "partner_age") == "Enter the partner's age"


def test_djangos_wording_is_replaced_from_the_label() -> None:
    class Example(forms.Form):
        minutes = forms.IntegerField(label="Minutes")
        permanent = forms.ChoiceField(
            label="Is it permanent?", choices=[("yes", "Yes")], widget=forms.RadioSelect
        )
        status = forms.ChoiceField(label="Status", choices=[("open", "Open")])

    form = Example({"status": "<b>raw</b>"})
    assert first_error(form, "minutes") == "Enter the minutes"
    assert error_text(form["permanent"]) == "Answer the question: Is it permanent?"
    assert error_text(form["status"]) == "Select the status from the list"


def test_a_label_in_a_sentence() -> None:
    assert in_sentence("Date of birth") == "date of birth"
    assert in_sentence("NHS number (optional)") == "NHS number"
    assert in_sentence("SOC 2020 code") == "SOC 2020 code"
