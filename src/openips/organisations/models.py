"""Who delivers IPS: network → organisation → service (an IPS team) → staff; clinical teams."""

from django.db import models
from django.utils import timezone

from openips.core import rules
from openips.core.models import Versioned
from openips.organisations import programmes


class Network(models.Model):
    """A commissioning area: the commissioner's view is one network."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, validators=[rules.TEXT])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An NHS trust or provider that runs one or more IPS services."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200, validators=[rules.TEXT])
    ods_code = models.CharField("ODS code", max_length=10, blank=True, validators=[rules.ID])
    # The MHSDS submission names the provider and, when another body submits for it, the
    # submitter (a commissioning support unit, say). Blank means the provider submits itself.
    submitter_ods_code = models.CharField(
        "ODS code of the submitting organisation",
        max_length=10,
        blank=True,
        validators=[rules.ID],
        help_text="Leave blank if the trust submits its own MHSDS data",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An IPS team. Its code is how the command line and the interchange format name it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, validators=[rules.TEXT])
    # How the trust's clinical system names this team: MHSDS carries it on every referral
    # (CareProfTeamLocalID) and describes it once, as an IPS team, in MHS902.
    mhsds_team_id = models.CharField(
        "MHSDS team local identifier",
        max_length=200,
        blank=True,
        validators=[rules.ID],
        help_text="The identifier the trust's clinical system gives this IPS team",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceProgramme(models.Model):
    """The programme a service delivers from a day on, until its next row (ADR 0033). A service
    with no row delivers programmes.DEFAULT; the rules of each are data (programmes.py)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="programmes")
    # Choices from the data file, read when asked: a new programme needs no migration.
    programme = models.CharField(max_length=40, choices=programmes.choices)
    valid_from = models.DateField(
        "applies from",
        validators=[rules.PLANNED],
        help_text="The day the service starts delivering this programme",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["service", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "valid_from"], name="service_programme_one_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rules.name} from {self.valid_from.isoformat()}"

    @property
    def rules(self) -> programmes.Programme:
        return programmes.rules(self.programme)


class ClinicalTeam(models.Model):
    """A mental-health team (for example a CMHT) whose clients the service supports."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="clinical_teams")
    name = models.CharField(max_length=200, validators=[rules.TEXT])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="clinical_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    EMPLOYMENT_SPECIALIST = "employment_specialist", "Employment specialist"
    TEAM_LEADER = "team_leader", "Team leader"
    OTHER = "other", "Other"


class StaffMember(Versioned):
    """A member of a service's staff, as the interchange format's staff.csv describes them."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="staff")
    staff_id = models.CharField(max_length=64, validators=[rules.ID])
    name = models.CharField(max_length=200, validators=[rules.TEXT])
    role = models.CharField(max_length=32, choices=StaffRole.choices)
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[rules.FTE],
    )
    start_date = models.DateField(
        null=True, blank=True, help_text="First day in post", validators=[rules.PLANNED]
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day in post", validators=[rules.PLANNED]
    )
    # How the clinical team reaches them at work, shown on their clients' records when recorded.
    work_phone = models.CharField(
        max_length=30, blank=True, validators=[rules.TEXT, rules.PHONE], help_text="At work"
    )
    work_email = models.EmailField(max_length=254, blank=True, validators=[rules.TEXT])
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "staff_id"], name="staff_unique_id"),
            models.CheckConstraint(
                condition=models.Q(fte__isnull=True) | (models.Q(fte__gt=0) & models.Q(fte__lte=1)),
                name="staff_fte_range",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="staff_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name
