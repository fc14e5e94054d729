"""Fidelity reviews: planned → in progress → agreed → published. Each reviewer rates every item
on their own; the agreed rating per item is recorded with its rationale; an action plan follows."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from openips.core import rules
from openips.core.models import Versioned


class ReviewKind(models.TextChoices):
    SELF = "self", "Self-assessment"
    EXTERNAL = "external", "External review"


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    AGREED = "agreed", "Agreed"
    PUBLISHED = "published", "Published"


ITEM = [MinValueValidator(1), MaxValueValidator(25)]
RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Review(Versioned):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ReviewKind.choices)
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    scale_id = models.CharField(max_length=60, help_text="The version of the scale rated against")
    visit_start = models.DateField(validators=[rules.PLANNED])
    visit_end = models.DateField(validators=[rules.PLANNED])
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="fidelity_reviews")
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-visit_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit_start__lte=models.F("visit_end")),
                name="review_visit_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.service} from {self.visit_start}"


class Rating(models.Model):
    """One reviewer's own rating of one item, made before seeing the others'."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    item = models.PositiveSmallIntegerField(validators=ITEM)
    rating = models.PositiveSmallIntegerField(validators=RATING)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer", "item"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"Item {self.item}: {self.rating}"


class AgreedRating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agreed")
    item = models.PositiveSmallIntegerField(validators=ITEM)
    rating = models.PositiveSmallIntegerField(validators=RATING)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="one_agreed_each")]

    def __str__(self) -> str:
        return f"Item {self.item}: agreed {self.rating}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(Versioned):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    item = models.PositiveSmallIntegerField(validators=ITEM)
    action = models.TextField()
    owner = models.CharField(max_length=200, validators=[rules.TEXT])
    due = models.DateField(validators=[rules.PLANNED])
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"Action on item {self.item}: {self.action[:60]}"
