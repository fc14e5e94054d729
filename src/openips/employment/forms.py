from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from openips.clients.models import Episode
from openips.core.forms import NHSDateField, field_as
from openips.core.rules import declared
from openips.employment.codes import (
    EmploymentStatus,
    EmploymentSupportSuitability,
    EndReason,
    WeeklyHoursWorked,
)
from openips.employment.models import (
    SOC_2020,
    Employer,
    EmploymentRecord,
    Job,
    JobChange,
    JobLead,
    consistency_problems,
)

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


ANSWERS = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
AS_ANSWER = {True: "yes", False: "no", None: "not_known"}
IF_EMPLOYED = ("self_employed", "sick_absence")  # not applicable to someone not employed


def answer(label: str, hint: str = "", *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ANSWERS,
        required=required,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": f"Answer the question: {label}"},
    )


def radios(label: str, choices: Any, required: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": required},
    )


class EmploymentRecordForm(forms.Form):
    """One Talking Therapies employment record: the answers as the data set asks them, checked
    against each other by the model's own rules (employment.models.consistency_problems)."""

    recorded_on = NHSDateField(
        label="Date recorded",
        help_text="The day the client answered, for example 3 5 2026",
        validators=declared(EmploymentRecord, "recorded_on"),
    )
    employment_status = radios(
        "Employment status", EmploymentStatus.choices, "Select their employment status"
    )
    weekly_hours = radios(
        "Hours worked a week",
        WeeklyHoursWorked.choices,
        "Select the hours they work a week",
        "In all their paid work. Not applicable if they are not employed",
    )
    self_employed = answer("Are they self-employed?", "Only if they are employed", required=False)
    sick_absence = answer(
        "Are they off work sick?",
        "Only if they are employed: unable to work at the moment because of sickness",
        required=False,
    )
    statutory_sick_pay = answer(
        "Are they getting Statutory Sick Pay?", "Paid by an employer to someone off work sick"
    )
    benefits_received = answer("Do they receive any benefits?")
    esa = answer("Do they receive Employment and Support Allowance (ESA)?")
    universal_credit = answer("Do they receive Universal Credit?")
    pip = answer("Do they receive Personal Independence Payment (PIP)?")
    employment_support_suitable = radios(
        "Are they a suitable candidate for referral to employment support?",
        EmploymentSupportSuitability.choices,
        "Select whether they are a suitable candidate for employment support",
    )

    def __init__(
        self, *args: Any, episode: Episode, record: EmploymentRecord | None = None, **kwargs: Any
    ) -> None:
        if record is not None:
            kwargs.setdefault("initial", initial_answers(record))
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employed = data.get("employment_status") == EmploymentStatus.EMPLOYED
        for name in IF_EMPLOYED:
            if not employed:
                data[name] = ""  # asked only of someone employed: an answer given is not kept
            elif data.get(name) == "" and name not in self.errors:
                self.add_error(name, f"Answer the question: {self.fields[name].label}")
        for name in ANSWERED:
            if name in data:
                data[name] = {"yes": True, "no": False}.get(data[name])
        if "employment_status" in data and "weekly_hours" in data:
            # Contradictions among the answers given, beside any answers still missing.
            candidate = EmploymentRecord(episode=self.episode, **data)
            for name, message in consistency_problems(candidate).items():
                if name not in self.errors:
                    self.add_error(name, message)
        for name in [n for n in self.fields if n in self.errors]:
            self.errors[name] = self.errors.pop(name)  # the summary in the page's order
        return data


ANSWERED = (
    "self_employed",
    "sick_absence",
    "statutory_sick_pay",
    "benefits_received",
    "esa",
    "universal_credit",
    "pip",
)


def initial_answers(record: EmploymentRecord) -> dict[str, Any]:
    """The form as the record was saved; the questions asked only of someone employed left
    unanswered when they were not."""
    values = {name: getattr(record, name) for name in EmploymentRecordForm.base_fields}
    if record.employment_status != EmploymentStatus.EMPLOYED:
        values = {n: v for n, v in values.items() if n not in IF_EMPLOYED}
    return {name: AS_ANSWER[v] if name in ANSWERED else v for name, v in values.items()}
