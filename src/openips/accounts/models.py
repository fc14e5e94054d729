"""Named accounts. Each account has one role, attached to the part of the organisation it serves."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, TypeVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from openips.accounts.roles import SCOPE_FIELD, SCOPE_FIELDS, Capability, Role, has_capability
from openips.core.rules import TEXT


class Attachment(models.Model):
    """A role and the unit it is attached to: an account's, or what a grant asks for."""

    role = models.CharField(max_length=32, choices=Role.choices)
    network = models.ForeignKey(
        "organisations.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clinical_team = models.ForeignKey(
        "organisations.ClinicalTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class User(AbstractUser, Attachment):
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[TEXT])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[TEXT])
    # Set when an administrator chooses the password: the person replaces it before anything else.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        wanted = SCOPE_FIELD.get(self.role)
        role = self.get_role_display().lower()
        errors: dict[str, str] = {}
        for field in SCOPE_FIELDS:
            attached = getattr(self, f"{field}_id") is not None
            unit = field.replace("_", " ")
            if field == wanted and not attached:
                errors[field] = f"Select the {unit} for a {role}"
            elif field != wanted and attached:
                errors[field] = f"A {role} is not attached to a {unit}"
        if errors:
            raise ValidationError(errors)

    def can(self, capability: Capability) -> bool:
        return self.is_authenticated and self.is_active and has_capability(self.role, capability)

    @property
    def scope_label(self) -> str:
        return _scope_label(self, self.role)


def _scope_label(holder: models.Model, role: str) -> str:
    field = SCOPE_FIELD.get(role)
    return str(getattr(holder, field)) if field else ""


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RoleGrant(Attachment):
    """A change of role, attachment or switching on that would open people's records, held until
    an administrator other than the one who asked approves it (ADR 0015)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    reaches = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organisation whose records it opens; its IG lead sees the request",
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=12, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_grant_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.access} for {self.user}"

    @property
    def access(self) -> str:
        """The role asked for and what it is attached to, as a person would say it."""
        scope = _scope_label(self, self.role)
        return f"{self.get_role_display()}, {scope}" if scope else self.get_role_display()


class ReviewerAccess(models.Model):
    """A fidelity reviewer's time-limited access to one service under review."""

    reviewer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="review_access")
    service = models.ForeignKey("organisations.Service", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="review_access_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.service} from {self.starts_on} to {self.ends_on}"

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, validators=[TEXT])
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise it by")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())


if TYPE_CHECKING:  # django-otp has no type hints: its Device and manager, as mypy should see them
    _M = TypeVar("_M", bound=models.Model)

    class DeviceManager(models.Manager[_M]):
        pass

    class Device(models.Model):
        user = models.ForeignKey(User, on_delete=models.CASCADE)
        name = models.CharField(max_length=64)
        confirmed = models.BooleanField(default=True)

        class Meta:
            abstract = True
else:
    from django_otp.models import Device, DeviceManager


class ProviderIdentities(DeviceManager["ProviderIdentity"]):
    """django-otp's manager, named here: the Django type plugin cannot see into django-otp."""


class ProviderIdentity(Device):
    """A person's account at the trust's identity provider, matched to their OpenIPS account at
    their first single sign-on (ADR 0013). Later sign-ins match on the provider's immutable
    subject. As a django-otp device it stands for the provider's second factor: a session carries
    it only when the provider said that sign-in used one (`accounts.oidc`)."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    # Declared for the plugin, which reads them to type this manager and User's reverse one.
    objects: ClassVar[ProviderIdentities] = ProviderIdentities()
    _default_manager: ClassVar[ProviderIdentities]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_identity_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="provider_identity_per_user"),
        ]
