"""People referred to IPS and their referral episodes (a person may have several); the hospital
stays of a person and the outcome-measure scores of an episode, as the clinical record holds
them (interchange admissions.csv and measures.csv)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from openips.clients.codes import (
    ContactMethod,
    DischargeReason,
    EmploymentStatus,
    Ethnicity,
    Gender,
    MeasureCode,
    ReferralSource,
    RetentionStatus,
    StaySetting,
)
from openips.clients.measures import score_problem
from openips.clients.scope import episode_scope
from openips.core import rules
from openips.core.models import Versioned

if TYPE_CHECKING:
    from openips.accounts.models import User

PHONE = rules.pattern(
    r"\A\+?(?:\d ?){7,15}\Z", "must be 7 to 15 digits, with spaces or a leading + if you like"
)
POSTCODE = rules.pattern(
    r"\A[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}\Z", "must be a UK postcode, like LS1 4AP"
)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        return self.filter(pk__in=Episode.objects.filter(episode_scope(user)).values("person_id"))


class Person(Versioned):
    """A person known to an organisation's services. client_id is the organisation's identifier
    for them (ADR 0021): unique across its services, as their NHS number is."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    # The service's organisation, copied so that the database can keep client ids and NHS
    # numbers unique per organisation; set from the service on every clean and save.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    client_id = models.CharField(max_length=64, validators=[rules.ID])
    given_name = models.CharField(max_length=100, blank=True, validators=[rules.TEXT])
    family_name = models.CharField(max_length=100, blank=True, validators=[rules.TEXT])
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, db_index=True, validators=[rules.NhsNumber()]
    )
    date_of_birth = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=16, choices=Ethnicity.choices, blank=True)
    phone = models.CharField(max_length=20, blank=True, validators=[rules.TEXT, PHONE])
    email = models.EmailField(max_length=254, blank=True, validators=[rules.TEXT])
    address = models.CharField(max_length=200, blank=True, validators=[rules.TEXT])
    postcode = models.CharField(max_length=8, blank=True, validators=[rules.TEXT, POSTCODE])
    preferred_contact = models.CharField(
        "preferred way to be contacted", max_length=16, choices=ContactMethod.choices, blank=True
    )
    message_consent = models.BooleanField(
        "consent to receive messages, such as reminders", null=True, blank=True
    )
    # The person asked for no more messages ("Stop messages" on the record): when, and who heard.
    messages_stopped_at = models.DateTimeField("messages stopped", null=True, blank=True)
    messages_stopped_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when this record was merged into another record of the same person (undoable).
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "client_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_id"], name="person_unique_client_id"
            ),
            # A merged record keeps its NHS number (for undo) but no longer holds it.
            models.UniqueConstraint(
                fields=["organisation", "nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into__isnull=True),
                name="person_unique_nhs_number",
                violation_error_message="This NHS number already belongs to another client",
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        return name or f"Client {self.client_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._take_organisation()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self._take_organisation()
        super().clean_fields(exclude)

    def _take_organisation(self) -> None:
        if self.service_id is not None:
            self.organisation_id = self.service.organisation_id


class PersonMerge(models.Model):
    """Two records of one person made one: which episodes moved, so that it can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    episodes: models.ManyToManyField[Episode, Any] = models.ManyToManyField(
        "Episode", related_name="+"
    )
    stays: models.ManyToManyField[HospitalStay, Any] = models.ManyToManyField(
        "HospitalStay", related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"Merge {self.pk}"


# A person's own details, in the order forms, merges and subject access show them.
PERSON_DETAILS = (
    "given_name",
    "family_name",
    "nhs_number",
    "date_of_birth",
    "gender",
    "ethnicity",
    "phone",
    "email",
    "address",
    "postcode",
    "preferred_contact",
    "message_consent",
)


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def visible_to(self, user: User) -> EpisodeQuerySet:
        return self.filter(episode_scope(user))


class Episode(Versioned):
    """One referral episode, with the fields of the interchange format's episodes.csv."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    episode_id = models.CharField(max_length=64, validators=[rules.ID])
    referral_date = models.DateField(validators=[rules.HAPPENED])
    referral_source = models.CharField(max_length=32, choices=ReferralSource.choices)
    employment_status_at_referral = models.CharField(
        max_length=32, choices=EmploymentStatus.choices
    )
    accepted_date = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    employment_specialist = models.ForeignKey(
        "organisations.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
    )
    clinical_team = models.ForeignKey(
        "organisations.ClinicalTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
    )
    vocational_profile_date = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    discharge_date = models.DateField(null=True, blank=True, validators=[rules.HAPPENED])
    discharge_reason = models.CharField(max_length=32, choices=DischargeReason.choices, blank=True)
    care_coordinator = models.CharField(max_length=200, blank=True, validators=[rules.TEXT])
    consent_to_share_with_employers = models.BooleanField(
        "consent to share information with employers", null=True, blank=True
    )

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "episode_id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "episode_id"], name="episode_unique_id"),
            models.CheckConstraint(
                name="episode_dates_in_order",
                condition=(
                    Q(accepted_date__isnull=True) | Q(referral_date__lte=models.F("accepted_date"))
                )
                & (
                    Q(vocational_profile_date__isnull=True)
                    | Q(accepted_date__lte=models.F("vocational_profile_date"))
                )
                & (
                    Q(discharge_date__isnull=True)
                    | Q(referral_date__lte=models.F("discharge_date"))
                )
                & (
                    Q(discharge_date__isnull=True)
                    | Q(accepted_date__isnull=True)
                    | Q(accepted_date__lte=models.F("discharge_date"))
                ),
            ),
        ]
        indexes = [models.Index(fields=["service", "accepted_date", "discharge_date"])]

    def __str__(self) -> str:
        return f"Episode {self.episode_id}"


class Handover(models.Model):
    """An episode moved from one employment specialist's caseload to another's."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="handovers")
    handed_over_at = models.DateTimeField(auto_now_add=True)
    from_staff = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_staff = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["handed_over_at", "pk"]

    def __str__(self) -> str:
        return f"Handover of {self.episode}"


class RetentionChangeQuerySet(models.QuerySet["RetentionChange"]):
    def visible_to(self, user: User) -> RetentionChangeQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))


class RetentionChange(models.Model):
    """A change in the work of a client employed at referral (job retention, ADR 0034): their
    status from `date` until the next change. Recorded, never edited; with none recorded they
    are at risk from the referral date (clients.stages)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="retention_changes")
    status = models.CharField(max_length=16, choices=RetentionStatus.choices)
    date = models.DateField(validators=[rules.HAPPENED])
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = RetentionChangeQuerySet.as_manager()

    class Meta:
        # The latest is the last by date, and of one day's changes the last recorded.
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["episode", "date"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.date}"

    def clean(self) -> None:
        if self.episode_id is None:
            return  # the missing episode is clean_fields' to report
        episode = self.episode
        if episode.employment_status_at_referral != EmploymentStatus.EMPLOYED:
            raise ValidationError("Changes in work are recorded for clients employed at referral")
        if self.date is None:
            return
        if self.date < episode.referral_date:
            raise ValidationError(
                {"date": ValidationError("must be on or after the referral date", rules.TOO_EARLY)}
            )
        if episode.discharge_date is not None and self.date > episode.discharge_date:
            raise ValidationError(
                {"date": ValidationError("must be on or before the discharge date", rules.TOO_LATE)}
            )


class HospitalStayQuerySet(models.QuerySet["HospitalStay"]):
    def visible_to(self, user: User) -> HospitalStayQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class HospitalStay(Versioned):
    """A stay in hospital, as the clinical record holds it: it belongs to the person, not to
    an episode (hospital use before and during IPS reads the year either side of acceptance)."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    admission_id = models.CharField(max_length=64, validators=[rules.ID])
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hospital_stays")
    admission_date = models.DateField(validators=[rules.HAPPENED])
    discharge_date = models.DateField(
        null=True, blank=True, validators=[rules.HAPPENED], help_text="Empty: still in hospital"
    )
    setting = models.CharField(max_length=32, choices=StaySetting.choices)

    objects = HospitalStayQuerySet.as_manager()

    class Meta:
        ordering = ["-admission_date", "admission_id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "admission_id"], name="stay_unique_id"),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True)
                | Q(admission_date__lte=models.F("discharge_date")),
                name="stay_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["person", "admission_date"])]

    def __str__(self) -> str:
        return f"Hospital stay {self.admission_id}"

    def clean(self) -> None:
        if (
            self.admission_date
            and self.discharge_date
            and self.discharge_date < self.admission_date
        ):
            raise ValidationError(
                {
                    "discharge_date": ValidationError(
                        "must be on or after the admission date", rules.TOO_EARLY
                    )
                }
            )


class MeasureScoreQuerySet(models.QuerySet["MeasureScore"]):
    def visible_to(self, user: User) -> MeasureScoreQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))


class MeasureScore(Versioned):
    """The total of one client-reported outcome measure completed on a date (clients.measures):
    only the score, never the questionnaire's wording."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    measure_id = models.CharField(max_length=64, validators=[rules.ID])
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="measure_scores")
    measure = models.CharField(max_length=16, choices=MeasureCode.choices)
    date = models.DateField("date completed", validators=[rules.HAPPENED])
    # The widest range of any measure; each measure's own is checked in clean (clients.measures).
    score = models.DecimalField(max_digits=5, decimal_places=2, validators=[rules.Between(0, 40)])

    objects = MeasureScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "measure_id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "measure_id"], name="measure_unique_id")
        ]
        indexes = [models.Index(fields=["episode", "measure", "date"])]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} score {self.measure_id}"

    def clean(self) -> None:
        problems = {}
        known = self.measure in MeasureCode.values and self.score is not None
        if known and (problem := score_problem(self.measure, self.score)):
            problems["score"] = ValidationError(problem, rules.OUT_OF_RANGE)
        dated = self.episode_id is not None and self.date is not None
        if dated and self.date < self.episode.referral_date:
            problems["date"] = ValidationError(
                "must be on or after the referral date", rules.TOO_EARLY
            )
        if problems:
            raise ValidationError(problems)


# The people search index (ADR 0019); clients/index.py writes and reads it.
TERM_LENGTH = 100


class Kind(models.TextChoices):
    NAME = "n", "A word of the name"
    CLIENT_ID = "i", "Client ID"
    BORN = "b", "Date of birth"


class SearchKey(models.Model):
    """One key of one person. The organisation is copied from the person (who never leaves it,
    though their episodes may be with several of its services), so that the index is read
    within the organisations a user may see: (organisation, kind, term) is a B-tree range."""

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=1, choices=Kind.choices)
    term = models.CharField(max_length=TERM_LENGTH, validators=[rules.TEXT])

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "term"], name="search_key_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} key"
