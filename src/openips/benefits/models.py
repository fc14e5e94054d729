"""A saved "better off in work" estimate: the scenario as entered and the figures it gave, kept
on the episode beside the benefits counselling contact it was part of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from openips.core.formatting import format_date

if TYPE_CHECKING:
    from openips.accounts.models import User


class EstimateQuerySet(models.QuerySet["Estimate"]):
    def visible_to(self, user: User) -> EstimateQuerySet:
        from openips.clients.models import Episode

        return self.filter(episode__in=Episode.objects.visible_to(user))


class Estimate(models.Model):
    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, related_name="benefit_estimates"
    )
    contact = models.OneToOneField(
        "casework.Contact", on_delete=models.PROTECT, related_name="benefit_estimate"
    )
    tax_year = models.CharField(max_length=7, help_text="The rates used, such as 2025/26")
    scenario = models.JSONField(help_text="What was entered, as the form's fields")
    income_now = models.DecimalField(max_digits=9, decimal_places=2)
    income_in_work = models.DecimalField(max_digits=9, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EstimateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        day = format_date(self.contact.date)
        return f"Better-off-in-work estimate ({self.tax_year} rates) on {day}"

    @property
    def person_id(self) -> int:
        """For the audit trail: whose record this is."""
        return int(self.episode.person_id)
