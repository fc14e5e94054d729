"""The forms for a person's hospital stays and an episode's outcome-measure scores. The rules
are the models' (clients.models, clients.measures), so a form, the import and the API refuse
the same values with the same words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms

from openips.clients.codes import MeasureCode, StaySetting
from openips.clients.measures import MEASURES, score_problem
from openips.clients.models import Episode, HospitalStay, MeasureScore
from openips.core.formatting import format_date
from openips.core.forms import NHSDateField
from openips.core.rules import declared


class StayForm(forms.Form):
    """A stay in hospital, as the clinical record gives it."""

    setting = forms.ChoiceField(
        label="Where were they admitted?",
        choices=StaySetting.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where they were admitted",
            "invalid_choice": "Select where they were admitted from the list",
        },
    )
    admission_date = NHSDateField(
        label="Date admitted",
        validators=declared(HospitalStay, "admission_date"),
        help_text="For example, 15 3 2026",
    )
    discharge_date = NHSDateField(
        label="Date discharged",
        required=False,
        validators=declared(HospitalStay, "discharge_date"),
        help_text="Leave it empty if they are still in hospital. For example, 29 3 2026",
    )

    def __init__(self, *args: Any, stay: HospitalStay | None = None, **kwargs: Any) -> None:
        if stay is not None:
            kwargs.setdefault(
                "initial",
                {
                    "setting": stay.setting,
                    "admission_date": stay.admission_date,
                    "discharge_date": stay.discharge_date,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admitted, discharged = data.get("admission_date"), data.get("discharge_date")
        if admitted and discharged and discharged < admitted:
            self.add_error(
                "discharge_date",
                f"Date discharged must be on or after the date admitted, {format_date(admitted)}",
            )
        return data


class MeasureForm(forms.Form):
    """The total of one outcome measure: never its questions or answers, which its owner
    licenses."""

    measure = forms.ChoiceField(
        label="Which measure?",
        choices=MeasureCode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which measure was completed",
            "invalid_choice": "Select which measure was completed from the list",
        },
    )
    date = NHSDateField(
        label="Date completed",
        validators=declared(MeasureScore, "date"),
        help_text="For example, 15 3 2026",
    )
    score = forms.DecimalField(
        label="Score",
        max_digits=5,
        decimal_places=2,
        help_text="The total, or the metric score for SWEMWBS and the mean for DIALOG",
        error_messages={
            "required": "Enter the score",
            "invalid": "Score must be a number, like 14 or 23.5",
            "max_decimal_places": "Score must have no more than 2 decimal places",
            "max_digits": "Score must be a number, like 14 or 23.5",
            "max_whole_digits": "Score must be a number, like 14 or 23.5",
        },
    )

    def __init__(
        self,
        *args: Any,
        episode: Episode,
        score: MeasureScore | None = None,
        **kwargs: Any,
    ) -> None:
        if score is not None:
            kwargs.setdefault(
                "initial",
                {"measure": score.measure, "date": score.date, "score": score.score.normalize()},
            )
        super().__init__(*args, **kwargs)
        self.episode = episode

    @staticmethod
    def hints() -> dict[str, str]:
        """Under each measure, how its score is worked out and its range."""
        return {code: m.scoring for code, m in MEASURES.items()}

    def clean_date(self) -> datetime.date:  # `date` is the field, in here
        value: datetime.date = self.cleaned_data["date"]
        referred = self.episode.referral_date
        if value < referred:
            raise forms.ValidationError(
                f"Date completed must be on or after the referral date, {format_date(referred)}"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure, score = data.get("measure"), data.get("score")
        if measure and isinstance(score, Decimal) and (problem := score_problem(measure, score)):
            self.add_error("score", f"Score {problem}")
        return data
