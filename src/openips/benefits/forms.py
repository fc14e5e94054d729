"""The scenario an employment specialist talks through with a client, and the session it is
saved as. Field names match calculator.Household and calculator.Work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from openips.benefits import calculator as calc
from openips.benefits.rates import all_years, default_tax_year
from openips.casework.codes import DIRECT_MODES
from openips.casework.forms import ContactForm
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core.forms import NHSDateField, enter_the, field_as
from openips.core.rules import declared

YES_NO = [("yes", "Yes"), ("no", "No")]


def number(
    label: str,
    *,
    example: str,
    low: int,
    high: int,
    places: int = 0,
    unit: str = "",
    required: bool = False,
    hint: str = "",
    **extra: Any,
) -> forms.Field:
    """A bounded number with the NHS style's error wording: "Enter …", "… must be …"."""
    messages = {
        "required": enter_the(label),
        "invalid": f"{label} must be {example}",
        "min_value": f"{label} must be {unit}{low:,} or more",
        "max_value": f"{label} must be {unit}{high:,} or less",
        "max_decimal_places": f"{label} must have no more than {places} decimal "
        f"place{'' if places == 1 else 's'}",
    }
    bounds = {"label": label, "required": required, "help_text": hint, "min_value": low, **extra}
    if places:
        return forms.DecimalField(
            **bounds, max_value=high, decimal_places=places, error_messages=messages
        )
    return forms.IntegerField(**bounds, max_value=high, error_messages=messages)


def money(label: str, *, required: bool = False, hint: str = "") -> forms.Field:
    return number(
        label,
        example="an amount in pounds and pence, like 12.50",
        low=0,
        high=100_000,
        places=2,
        unit="£",
        required=required,
        hint=hint,
    )


def hours(label: str, *, required: bool = False) -> forms.Field:
    example = "a number, like 16 or 7.5"
    return number(label, example=example, low=0, high=100, places=1, required=required)


def age(label: str, *, required: bool) -> forms.Field:
    return number(label, example="a whole number", low=16, high=120, required=required)


def years_old(born: dt.date | None, today: dt.date) -> int | None:
    """Age on a day, for the form to start from: the client's date of birth is on record."""
    if born is None or born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ScenarioForm(forms.Form):
    tax_year = forms.ChoiceField(
        label="Rates for the tax year",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the tax year whose rates to use",
            "invalid_choice": "There are no rates for %(value)s. Select a tax year listed here",
        },
    )
    household = forms.ChoiceField(
        label="Who is on the Universal Credit claim?",
        choices=[("single", "The client on their own"), ("couple", "The client and a partner")],
        widget=forms.RadioSelect,
        initial="single",
    )
    claimant_age = age("Client's age", required=True)
    partner_age = age("Partner's age", required=False)
    children = number(
        "Number of children the household is responsible for",
        example="a whole number",
        low=0,
        high=20,
        required=True,
        hint="Enter 0 if there are none",
        initial=0,
    )
    first_child_born_before_6_april_2017 = forms.ChoiceField(
        label="Was the eldest child born before 6 April 2017?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    capability = forms.ChoiceField(
        label="The client's work capability assessment",
        choices=[
            (calc.Capability.NONE, "Not assessed, or fit for work"),
            (calc.Capability.LCW, "Limited capability for work (LCW)"),
            (
                calc.Capability.LCWRA,
                "Limited capability for work and work-related activity (LCWRA)",
            ),
        ],
        widget=forms.RadioSelect,
        initial=calc.Capability.NONE,
    )
    lcwra_protected = forms.ChoiceField(
        label="LCWRA only: did the claim start before 6 April 2026, or does the client meet the "
        "severe conditions criteria?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="yes",
    )
    carer = forms.ChoiceField(
        label="Does anyone on the claim care for a disabled person 35 hours a week or more?",
        choices=[
            (calc.Carer.NONE, "No"),
            (calc.Carer.CLAIMANT, "Yes, the client"),
            (calc.Carer.PARTNER, "Yes, the partner"),
        ],
        widget=forms.RadioSelect,
        initial=calc.Carer.NONE,
    )
    housing_costs = money("Housing costs a month", hint="Rent Universal Credit pays towards")
    savings = money("Savings and other capital")
    partner_take_home_pay = money("Partner's take-home pay a month")
    other_income = money(
        "Other income a month", hint="Income Universal Credit deducts in full, such as a pension"
    )
    esa_weekly = money("New-style ESA a week", hint="Leave blank if the client does not get it")
    hours_now = hours("Hours a week now")
    pay_now = money("Pay per hour now")
    hours_in_work = hours("Hours a week in the new job", required=True)
    pay_in_work = money("Pay per hour in the new job", required=True)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = sorted(all_years())
        field = field_as(self, "tax_year", forms.ChoiceField)
        field.choices = [(y, y) for y in years]
        field.initial = default_tax_year(today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("household") == "couple" and data.get("partner_age") is None:
            self.add_error("partner_age", "Enter the partner's age")
        if data.get("household") != "couple" and data.get("carer") == calc.Carer.PARTNER:
            self.add_error("carer", "Only a couple's claim has a partner who cares")
        return data

    def as_household(self) -> calc.Household:
        d = self.cleaned_data
        couple = d["household"] == "couple"
        zero = Decimal("0")
        return calc.Household(
            claimant_age=d["claimant_age"],
            partner_age=d["partner_age"] if couple else None,
            children=d["children"],
            first_child_born_before_6_april_2017=d["first_child_born_before_6_april_2017"] == "yes",
            capability=calc.Capability(d["capability"]),
            lcwra_protected=d["lcwra_protected"] == "yes",
            carer=calc.Carer(d["carer"]),
            housing_costs=d["housing_costs"] or zero,
            partner_take_home_pay=(d["partner_take_home_pay"] or zero) if couple else zero,
            other_income=d["other_income"] or zero,
            savings=d["savings"] or zero,
            esa_weekly=d["esa_weekly"] or zero,
        )

    def as_work_now(self) -> calc.Work:
        d = self.cleaned_data
        return calc.Work(d["hours_now"] or Decimal(0), d["pay_now"] or Decimal(0))

    def as_work_in_work(self) -> calc.Work:
        return calc.Work(self.cleaned_data["hours_in_work"], self.cleaned_data["pay_in_work"])

    def scenario(self) -> dict[str, str]:
        """What was entered, as text, to keep with the saved estimate."""
        return {k: "" if v is None else str(v) for k, v in self.cleaned_data.items()}


class SessionForm(forms.Form):
    """The benefits counselling session the estimate is saved as."""

    date = NHSDateField(label="Date of the session", validators=declared(Contact, "date"))
    mode = forms.ChoiceField(
        label="How",
        choices=[(m.value, m.label) for m in DIRECT_MODES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the session happened"},
    )
    minutes = ContactForm.base_fields["minutes"]

    prefix = "session"  # beside the scenario's fields in one <form>

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value < self.episode.referral_date:
            raise forms.ValidationError("Date of the session must be on or after the referral date")
        return value
