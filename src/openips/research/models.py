"""Approved research studies and who may take each one's extract (docs/research.md, ADR 0037).
A study names its services, the period of acceptances it covers and which of gender and
ethnicity travel with the data; its secret keys the pseudonyms, so they are stable within the
study and unrelated across studies."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from openips.core import rules
from openips.core.models import Versioned


def new_secret() -> str:
    return secrets.token_hex(32)


class Study(Versioned):
    name = models.CharField(max_length=200, validators=[rules.TEXT])
    reference = models.CharField(
        "approval reference",
        max_length=100,
        validators=[rules.TEXT],
        help_text="The ethics or approval reference, for example IRAS 312345",
    )
    services = models.ManyToManyField("organisations.Service", related_name="+")
    start = models.DateField("first acceptance date", validators=[rules.HAPPENED])
    end = models.DateField("last acceptance date", validators=[rules.HAPPENED])
    with_gender = models.BooleanField("gender travels with the data", default=False)
    with_ethnicity = models.BooleanField("ethnicity travels with the data", default=False)
    # Keys the pseudonyms (HMAC-SHA256). Never shown, never exported.
    secret = models.CharField(
        max_length=64, default=new_secret, editable=False, validators=[rules.TEXT]
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="study_in_order")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": ValidationError("must be on or after the first acceptance date")}
            )


class StudyAccessQuerySet(models.QuerySet["StudyAccess"]):
    def in_force(self, day: date) -> StudyAccessQuerySet:
        return self.filter(revoked_at=None, starts__lte=day, ends__gte=day)


class StudyAccess(models.Model):
    """One named person's right to take one study's extract, from `starts` to `ends`."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    starts = models.DateField("from", validators=[rules.PLANNED])
    ends = models.DateField("until", validators=[rules.PLANNED])
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = StudyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lte=models.F("ends")), name="study_access_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"Access to {self.study} for {self.user}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": ValidationError("must be on or after the start")})
