"""Employers an IPS service works with, and the jobs its clients start (interchange employers.csv
and jobs.csv)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q

from openips.core import rules
from openips.core.models import Versioned
from openips.employment.codes import EndReason

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
    version = models.PositiveIntegerField(default=1)

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
    version = models.PositiveIntegerField(default=1)

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
