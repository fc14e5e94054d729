"""Employers an IPS service works with, and the jobs its clients start (interchange employers.csv
and jobs.csv); and the employment records NHS Talking Therapies' employment advisers make at
assessment and at discharge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from openips.core import rules
from openips.core.formatting import format_date
from openips.core.models import Versioned
from openips.employment.codes import (
    NOT_EMPLOYED,
    YES_NO_NOT_KNOWN,
    EmploymentStatus,
    EmploymentSupportSuitability,
    EndReason,
    Moment,
    WeeklyHoursWorked,
)

if TYPE_CHECKING:
    from openips.accounts.models import User


class Employer(Versioned):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    employer_id = models.CharField(max_length=64, validators=[rules.ID])
    name = models.CharField(max_length=200, validators=[rules.TEXT])
    sector = models.CharField(
        max_length=100,
        blank=True,
        help_text="For example a SIC 2007 section letter",
        validators=[rules.TEXT],
    )
    postcode_district = models.CharField(
        max_length=8, blank=True, help_text="For example NG7", validators=[rules.TEXT]
    )
    people = models.TextField("people we work with", blank=True)
    needs = models.TextField("what they need", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "employer_id"], name="employer_unique_id")
        ]

    def __str__(self) -> str:
        return self.name


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: User) -> JobQuerySet:
        from openips.clients.models import Episode

        return self.filter(episode__in=Episode.objects.visible_to(user))

    def starts(self) -> JobQuerySet:
        """Job starts: 4 paid hours worked. Unconfirmed starts count for nothing."""
        return self.filter(start_confirmed=True)


SOC_2020 = rules.pattern(r"\A[0-9]{4}\Z", "must be a 4-digit SOC 2020 unit group code, like 7111")


class Job(Versioned):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    job_id = models.CharField(max_length=64, validators=[rules.ID])
    episode = models.ForeignKey("clients.Episode", on_delete=models.PROTECT, related_name="jobs")
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    job_title = models.CharField(max_length=200, validators=[rules.TEXT])
    job_type = models.CharField("SOC 2020 code", max_length=4, blank=True, validators=[SOC_2020])
    start_date = models.DateField(validators=[rules.PLANNED])
    start_confirmed = models.BooleanField(default=True, help_text="4 paid hours have been worked")
    end_date = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[rules.HOURS_PER_WEEK]
    )
    hourly_pay = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[rules.HOURLY_PAY]
    )
    competitive = models.BooleanField()
    permanent = models.BooleanField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "job_id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "job_id"], name="job_unique_id"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
                name="job_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["service", "start_date"])]

    def __str__(self) -> str:
        return self.job_title


class JobChange(models.Model):
    """A change of hours or pay, or the confirmation of 4 paid hours, from a given date."""

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="changes")
    effective_date = models.DateField(validators=[rules.PLANNED])
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[rules.HOURS_PER_WEEK]
    )
    hourly_pay = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[rules.HOURLY_PAY]
    )
    start_confirmed = models.BooleanField()

    class Meta:
        ordering = ["-effective_date", "-pk"]

    def __str__(self) -> str:
        return f"Change to {self.job} from {self.effective_date}"


class LeadStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled by a client"
    CLOSED = "closed", "Closed"


class JobLead(models.Model):
    """A vacancy or opening an employer has mentioned, to match with job seekers."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="leads")
    title = models.CharField(max_length=200, validators=[rules.TEXT])
    hours = models.CharField(max_length=100, blank=True, validators=[rules.TEXT])
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    added_on = models.DateField(validators=[rules.HAPPENED])

    class Meta:
        ordering = ["status", "-added_on"]

    def __str__(self) -> str:
        return self.title


class EmploymentRecordQuerySet(models.QuerySet["EmploymentRecord"]):
    def visible_to(self, user: User) -> EmploymentRecordQuerySet:
        from openips.clients.models import Episode

        return self.filter(episode__in=Episode.objects.visible_to(user))


def _answer(label: str) -> models.BooleanField[bool | None, bool | None]:
    return models.BooleanField(label, null=True, blank=True, choices=YES_NO_NOT_KNOWN)


class EmploymentRecord(Versioned):
    """What NHS Talking Therapies' employment data set asks of a client, at assessment or at
    discharge: the fields of its employment status table (docs/talking-therapies.md). A
    yes-or-no answer is None when not known; self-employment and sickness absence are None too
    when the client is not employed, where the data set has "not applicable"."""

    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, related_name="employment_records"
    )
    moment = models.CharField(max_length=10, choices=Moment.choices)
    recorded_on = models.DateField("date recorded", validators=[rules.HAPPENED])
    employment_status = models.CharField(max_length=2, choices=EmploymentStatus.choices)
    weekly_hours = models.CharField(
        "hours worked a week", max_length=2, choices=WeeklyHoursWorked.choices
    )
    self_employed = _answer("self-employed")
    sick_absence = _answer("off work sick")
    statutory_sick_pay = _answer("getting Statutory Sick Pay")
    benefits_received = _answer("receiving benefits")
    esa = _answer("receiving Employment and Support Allowance")
    universal_credit = _answer("receiving Universal Credit")
    pip = _answer("receiving Personal Independence Payment")
    employment_support_suitable = models.CharField(
        "suitable for referral to employment support",
        max_length=2,
        choices=EmploymentSupportSuitability.choices,
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EmploymentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "moment"]
        verbose_name = "Talking Therapies employment record"
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "moment"], name="employment_record_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} employment record"

    def clean(self) -> None:
        if problems := consistency_problems(self):
            raise ValidationError(problems)


def consistency_problems(r: EmploymentRecord) -> dict[str, str]:
    """The answers that contradict each other, by the field to correct: the one set of rules
    the page and every save keep."""
    problems: dict[str, str] = {}
    employed = r.employment_status == EmploymentStatus.EMPLOYED
    not_employed = r.employment_status in NOT_EMPLOYED
    if r.weekly_hours == WeeklyHoursWorked.NOT_EMPLOYED and not not_employed:
        problems["weekly_hours"] = (
            "Select the hours they work, or not known: not applicable is only for someone "
            "not employed"
        )
    elif not_employed and r.weekly_hours != WeeklyHoursWorked.NOT_EMPLOYED:
        problems["weekly_hours"] = "Select not applicable for hours: they are not employed"
    for name, what in (("self_employed", "Self-employment"), ("sick_absence", "Sickness absence")):
        if not employed and getattr(r, name) is not None:
            problems[name] = f"{what} is recorded only for someone employed"
    if r.statutory_sick_pay and r.sick_absence is not True:
        problems["statutory_sick_pay"] = (
            "Statutory Sick Pay is paid only to someone off work sick: answer no or not known, "
            "or that they are off work sick"
        )
    elif r.statutory_sick_pay and r.self_employed:
        problems["statutory_sick_pay"] = "Self-employed people cannot get Statutory Sick Pay"
    if (r.esa or r.universal_credit or r.pip) and r.benefits_received is not True:
        problems["benefits_received"] = (
            "Select yes for benefits: they receive ESA, Universal Credit or PIP"
        )
    if r.employment_status == EmploymentStatus.NOT_RECEIVING_BENEFITS and (r.esa or r.pip):
        problems["employment_status"] = (
            "Select another employment status: they receive ESA or PIP, which are sickness and "
            "disability benefits"
        )
    episode = r.episode if r.episode_id else None
    if episode is not None and r.recorded_on and r.recorded_on < episode.referral_date:
        problems["recorded_on"] = (
            "Date recorded must be on or after the referral date, "
            f"{format_date(episode.referral_date)}"
        )
    return problems
