"""What an employment specialist does with and for a client: contacts (interchange
contacts.csv), the vocational profile, and interventions alongside IPS."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q

from openips.casework.codes import (
    AppointmentStatus,
    ContactWith,
    DeletionReason,
    Mode,
    Purpose,
    Setting,
)
from openips.core import rules
from openips.core.formatting import format_date
from openips.core.models import Versioned

if TYPE_CHECKING:
    from openips.accounts.models import User


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User) -> ContactQuerySet:
        """Contacts about clients the user may see, and the service's general employer work."""
        from openips.accounts.queries import services_with_client_access
        from openips.clients.models import Episode

        return self.filter(
            Q(episode__in=Episode.objects.visible_to(user))
            | Q(episode__isnull=True, service__in=services_with_client_access(user))
        )

    def attended(self) -> ContactQuerySet:
        return self.filter(attended=True)


ContactManager = models.Manager.from_queryset(ContactQuerySet)


class LiveContacts(ContactManager["Contact"]):
    """The default manager: a deleted contact is gone from every read that starts here, so no
    count, list or export can forget to leave it out (ADR 0020)."""

    def get_queryset(self) -> ContactQuerySet:
        # from_queryset's manager builds a ContactQuerySet; the stubs call it a plain QuerySet.
        every = cast(ContactQuerySet, super().get_queryset())
        return every.filter(deleted_at__isnull=True)


def live_contacts(via: str = "contacts") -> Q:
    """For a join through a relation (`contacts__…`), which no manager filters: its live rows."""
    return Q(**{f"{via}__deleted_at__isnull": True})


class Contact(Versioned):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    contact_id = models.CharField(max_length=64, validators=[rules.ID])
    date = models.DateField(validators=[rules.HAPPENED])
    staff = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, related_name="contacts"
    )
    contact_with = models.CharField(max_length=20, choices=ContactWith.choices)
    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    employer = models.ForeignKey(
        "employment.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    setting = models.CharField(max_length=20, choices=Setting.choices, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True, validators=[rules.MINUTES])
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    attended = models.BooleanField(default=True, help_text="No: planned but did not happen")
    matches_preferences = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # A contact recorded by mistake is deleted softly: hidden everywhere, kept for the trail.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deletion_reason = models.CharField(
        "reason for deleting", max_length=20, choices=DeletionReason.choices, blank=True
    )
    deletion_note = models.CharField(
        "more about the reason", max_length=200, blank=True, validators=[rules.TEXT]
    )

    objects = LiveContacts()
    with_deleted = ContactManager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "contact_id"], name="contact_unique_id"),
            models.CheckConstraint(
                condition=~Q(contact_with=ContactWith.CLIENT) | Q(episode__isnull=False),
                name="client_contact_has_episode",
            ),
        ]
        indexes = [
            models.Index(fields=["episode", "date"]),
            models.Index(fields=["service", "date"]),
            models.Index(fields=["staff", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} contact on {format_date(self.date)}"

    @property
    def deletion_summary(self) -> str:
        """Why it was deleted, for the IG lead's trail (read generically by the audit app)."""
        if self.deleted_at is None:
            return ""
        reason = self.get_deletion_reason_display()
        return f"{reason}: {self.deletion_note}" if self.deletion_note else reason


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: User) -> AppointmentQuerySet:
        """Appointments of clients whose episodes the user may see."""
        from openips.clients.models import Episode

        return self.filter(episode__in=Episode.objects.visible_to(user))


class Appointment(Versioned):
    """A contact with the client planned before it happens (ADR 0029). It is not a contact: no
    count, caseload prompt or export reads it. What happened is recorded afterwards as an
    ordinary contact, linked here, and that contact is what every figure counts."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, related_name="appointments"
    )
    staff = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, related_name="appointments"
    )
    date = models.DateField(validators=[rules.PLANNED])
    time = models.TimeField()
    place = models.CharField(max_length=100, blank=True, validators=[rules.TEXT])
    mode = models.CharField(max_length=20, choices=Mode.choices)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[AppointmentStatus.PLANNED, AppointmentStatus.CANCELLED])
                | Q(contact__isnull=False),
                name="appointment_outcome_has_contact",
            )
        ]
        indexes = [models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"Appointment on {format_date(self.date)}"


# The sections of a vocational profile, in the order the form and every page show them.
PROFILE_SECTIONS = (
    "preferred_jobs",
    "preferred_hours",
    "preferred_places",
    "work_history",
    "education",
    "skills_and_strengths",
    "barriers",
    "disclosure_preference",
)


class VocationalProfile(models.Model):
    """One version of a client's vocational profile. A new version is saved after each job."""

    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, related_name="profiles"
    )
    version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    preferred_jobs = models.TextField("types of job wanted", blank=True)
    preferred_hours = models.CharField(
        "hours wanted", max_length=200, blank=True, validators=[rules.TEXT]
    )
    preferred_places = models.CharField(
        "where they want to work", max_length=200, blank=True, validators=[rules.TEXT]
    )
    work_history = models.TextField(blank=True)
    education = models.TextField("education and training", blank=True)
    skills_and_strengths = models.TextField(blank=True)
    barriers = models.TextField("what gets in the way", blank=True)
    disclosure_preference = models.TextField(
        "disclosure preference",
        blank=True,
        help_text="Whether, when and how to share their mental health with employers",
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="profile_unique_version")
        ]

    def __str__(self) -> str:
        return f"Vocational profile version {self.version}"


class InterventionKind(models.TextChoices):
    COGNITIVE_REMEDIATION = "cognitive_remediation", "Cognitive remediation"
    SKILLS_TRAINING = "skills_training", "Skills training"
    EDUCATION = "education", "Education or training course"
    PEER_SUPPORT = "peer_support", "Peer support"
    OTHER = "other", "Other"


class Intervention(models.Model):
    """Education, training and additional interventions alongside IPS."""

    episode = models.ForeignKey(
        "clients.Episode", on_delete=models.PROTECT, related_name="interventions"
    )
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    description = models.CharField(max_length=200, blank=True, validators=[rules.TEXT])
    start_date = models.DateField(validators=[rules.PLANNED])
    end_date = models.DateField(null=True, blank=True, validators=[rules.PLANNED])

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=models.F("end_date")),
                name="intervention_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
