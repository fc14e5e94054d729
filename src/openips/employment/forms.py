from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from openips.clients.models import Episode
from openips.core.forms import NHSDateField, field_as
from openips.core.rules import declared
from openips.employment.codes import EndReason
from openips.employment.models import SOC_2020, Employer, Job, JobChange, JobLead

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return None if not value else value == "yes"


class HoursAndPay(forms.Form):
    """What a job start and a later change both record: the 4-hour confirmation, hours and pay."""

    start_confirmed = forms.ChoiceField(
        label="Have they worked 4 paid hours?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they have worked 4 paid hours"},
        help_text="It counts as a job start once 4 paid hours are worked",
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        required=False,
        decimal_places=2,
        validators=declared(Job, "hours_per_week"),
    )
    hourly_pay = forms.DecimalField(
        label="Pay per hour, in pounds",
        required=False,
        decimal_places=2,
        validators=declared(Job, "hourly_pay"),
    )


class JobStartForm(HoursAndPay):
    employer = forms.ModelChoiceField(
        Employer.objects.none(), required=False, empty_label="Not recorded"
    )
    job_title = forms.CharField(
        max_length=200,
        validators=declared(Job, "job_title"),
        error_messages={"required": "Enter the job title"},
    )
    job_type = forms.CharField(
        label="SOC 2020 code (optional)",
        required=False,
        max_length=4,
        validators=[SOC_2020],
        help_text="4 digits, for example 7111",
    )
    start_date = NHSDateField(label="First day of work", validators=declared(Job, "start_date"))
    field_order = ["employer", "job_title", "job_type", "start_date", "start_confirmed"]
    competitive = forms.ChoiceField(
        label="Is it a competitive job?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Open to anyone, at least minimum wage, not set aside for disabled people, "
        "not transitional or time-limited",
        error_messages={"required": "Select whether it is a competitive job"},
    )
    permanent = forms.ChoiceField(
        label="Is it permanent?", choices=YES_NO, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        employers = Employer.objects.filter(service=episode.service)
        field_as(self, "employer", forms.ModelChoiceField).queryset = employers

    def clean_start_date(self) -> date:
        value: date = self.cleaned_data["start_date"]
        if value < self.episode.referral_date:
            raise forms.ValidationError("First day of work must be on or after the referral date")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start_confirmed", "competitive", "permanent"):
            data[name] = yes_no(data.get(name))
        return data


class JobEndForm(forms.Form):
    end_date = NHSDateField(label="Last day of work", validators=declared(Job, "end_date"))
    end_reason = forms.ChoiceField(
        label="Why it ended",
        choices=EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the job ended"},
    )

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job

    def clean_end_date(self) -> date:
        value: date = self.cleaned_data["end_date"]
        if value < self.job.start_date:
            raise forms.ValidationError("Last day of work must be on or after the first day")
        return value


class EmployerForm(forms.ModelForm[Employer]):
    class Meta:
        model = Employer
        fields = ["name", "sector", "postcode_district", "people", "needs"]
        error_messages = {"name": {"required": "Enter the employer's name"}}


class JobChangeForm(HoursAndPay):
    effective_date = NHSDateField(
        label="Date the change applies from",
        help_text="For example, the day 4 paid hours were confirmed, or the new hours began",
        validators=declared(JobChange, "effective_date"),
    )
    field_order = ["effective_date", "start_confirmed", "hours_per_week", "hourly_pay"]

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "start_confirmed": "yes" if job.start_confirmed else "no",
                "hours_per_week": job.hours_per_week,
                "hourly_pay": job.hourly_pay,
            },
        )
        super().__init__(*args, **kwargs)
        self.job = job

    def clean_effective_date(self) -> date:
        value: date = self.cleaned_data["effective_date"]
        if value < self.job.start_date:
            raise forms.ValidationError("The change must be on or after the first day of work")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["start_confirmed"] = yes_no(data.get("start_confirmed"))
        return data


class JobLeadForm(forms.ModelForm[JobLead]):
    class Meta:
        model = JobLead
        fields = ["title", "hours", "notes"]
        labels = {"title": "Job", "hours": "Hours (optional)"}
        error_messages = {"title": {"required": "Enter the job"}}
