"""Referral intake, acceptance onto a caseload and discharge. Validation follows the interchange
rules: dates in order, references that exist, codes that are valid."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any

import nhs_number
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from openips.clients.codes import (
    ContactMethod,
    DischargeReason,
    EmploymentStatus,
    Ethnicity,
    Gender,
    ReferralSource,
    RetentionStatus,
)
from openips.clients.models import PERSON_DETAILS, Episode, Person, RetentionChange
from openips.core.formatting import format_date
from openips.core.forms import NHSDateField, field_as
from openips.core.rules import declared
from openips.organisations.models import ClinicalTeam, Service, StaffMember, StaffRole


class EpisodeDetailsForm(forms.Form):
    referral_date = NHSDateField(
        label="Referral date", validators=declared(Episode, "referral_date")
    )
    referral_source = forms.ChoiceField(
        label="Where the referral came from",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the referral came from"},
    )
    employment_status_at_referral = forms.ChoiceField(
        label="Employment at referral",
        choices=EmploymentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their employment at referral"},
    )
    clinical_team = forms.ModelChoiceField(
        ClinicalTeam.objects.none(), required=False, empty_label="Not known yet"
    )
    care_coordinator = forms.CharField(
        label="Care coordinator",
        required=False,
        max_length=200,
        validators=declared(Episode, "care_coordinator"),
    )

    def __init__(
        self, *args: Any, service: Service, team: ClinicalTeam | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        teams = field_as(self, "clinical_team", forms.ModelChoiceField)
        teams.queryset = service.clinical_teams.all()
        if team is not None:  # a clinician refers from their own team only
            teams.queryset = teams.queryset.filter(pk=team.pk)
            teams.required = True
            teams.empty_label = None
            teams.error_messages["invalid_choice"] = "Select your clinical team"


def worded(model: type[Any], name: str, message: str) -> list[Any]:
    """The model field's rules, answering in the page's words rather than the import's."""
    rules = declared(model, name)

    def check(value: Any) -> None:
        for rule in rules:
            try:
                rule(value)
            except forms.ValidationError as refused:
                raise forms.ValidationError(message, code=refused.code) from refused

    return [check]


YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not asked yet")]


class PersonFields(forms.Form):
    """Who the person is and how to reach them: the referral's and the change page's fields."""

    given_name = forms.CharField(
        label="First name",
        max_length=100,
        validators=declared(Person, "given_name"),
        error_messages={"required": "Enter their first name"},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        validators=declared(Person, "family_name"),
        error_messages={"required": "Enter their last name"},
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=12,
        help_text="For example, 999 123 4560",
    )
    date_of_birth = NHSDateField(
        label="Date of birth", required=False, validators=declared(Person, "date_of_birth")
    )
    gender = forms.ChoiceField(choices=[("", "Not recorded"), *Gender.choices], required=False)
    ethnicity = forms.ChoiceField(
        choices=[("", "Not recorded"), *Ethnicity.choices], required=False
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=20,
        validators=worded(
            Person, "phone", "Enter a phone number of 7 to 15 digits, like 0113 496 0000"
        ),
        error_messages={"max_length": "Phone number must be 20 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        validators=declared(Person, "email"),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    address = forms.CharField(
        label="Address (optional)",
        required=False,
        max_length=200,
        validators=declared(Person, "address"),
        help_text="On one line, for example 12 High Street, Leeds",
        error_messages={"max_length": "Address must be 200 characters or fewer"},
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=8,
        validators=worded(Person, "postcode", "Enter a real postcode, like LS1 4AP"),
        error_messages={"max_length": "Enter a real postcode, like LS1 4AP"},
    )
    preferred_contact = forms.ChoiceField(
        label="How do they prefer to be contacted? (optional)",
        required=False,
        widget=forms.RadioSelect,
        choices=[*ContactMethod.choices, ("", "Not asked yet")],
    )
    message_consent = forms.ChoiceField(
        label="Do they agree to receive messages, such as appointment reminders?",
        required=False,
        widget=forms.RadioSelect,
        choices=YES_NO_UNKNOWN,
    )

    def clean_nhs_number(self) -> str:
        raw: str = self.cleaned_data["nhs_number"]
        digits = raw.replace(" ", "")
        if not digits:
            return ""
        if not digits.isdigit() or len(digits) != 10:
            raise forms.ValidationError("NHS number must be 10 digits")
        if not nhs_number.is_valid(digits):
            raise forms.ValidationError("Enter a valid NHS number: check the digits")
        return digits

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return " ".join(value.upper().split())

    def clean_message_consent(self) -> bool | None:
        answer = self.cleaned_data["message_consent"]
        return None if not answer else answer == "yes"


class ReferralForm(PersonFields, EpisodeDetailsForm):
    """A referral of someone the service may not know yet. No eligibility questions: principle 1."""

    same_person_checked = forms.BooleanField(
        label="I have checked: this is a different person",
        required=False,
    )
    field_order = list(PERSON_DETAILS)


class PersonDetailsForm(PersonFields):
    """Corrections to who the person is and how to reach them; the NHS number stays one
    person's in the organisation (ADR 0021)."""

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        consent = person.message_consent
        kwargs["initial"] = {
            **{name: getattr(person, name) for name in self.base_fields},
            "message_consent": "" if consent is None else ("yes" if consent else "no"),
        }
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_nhs_number(self) -> str:
        from openips.clients.services import holder_of

        digits = super().clean_nhs_number()
        holder = holder_of(self.person.organisation_id, digits, besides=self.person.pk)
        if holder is not None:
            raise forms.ValidationError(
                f"This NHS number already belongs to client {holder.client_id} "
                f"({holder.service.name}): check the number, or merge the two records"
            )
        return digits


class MergeChoiceForm(forms.Form):
    client_id = forms.CharField(
        label="Client ID of the duplicate record",
        max_length=64,
        validators=declared(Person, "client_id"),
        help_text="The record to merge into this one. Its episodes will move to this record.",
        error_messages={"required": "Enter the client ID of the duplicate record"},
    )

    def __init__(
        self, *args: Any, kept: Person, candidates: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kept, self.candidates = kept, candidates

    def clean_client_id(self) -> Person:
        wanted = self.cleaned_data["client_id"].strip()
        if wanted == self.kept.client_id:
            raise forms.ValidationError("Enter the client ID of another record, not this one")
        found = self.candidates.filter(client_id=wanted).first()
        if found is None:
            raise forms.ValidationError(
                "Enter the client ID of a record you can see in your organisation"
            )
        return found


class AcceptForm(forms.Form):
    accepted_date = NHSDateField(
        label="Date accepted", validators=declared(Episode, "accepted_date")
    )
    employment_specialist = forms.ModelChoiceField(
        StaffMember.objects.none(),
        label="Employment specialist",
        error_messages={
            "required": "Select the employment specialist",
            "invalid_choice": "Select an employment specialist from the list",
        },
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        field_as(
            self, "employment_specialist", forms.ModelChoiceField
        ).queryset = StaffMember.objects.filter(
            service=episode.service, role=StaffRole.EMPLOYMENT_SPECIALIST, end_date__isnull=True
        )

    def clean_accepted_date(self) -> date:
        value: date = self.cleaned_data["accepted_date"]
        if value < self.episode.referral_date:
            raise forms.ValidationError("Date accepted must be on or after the referral date")
        return value


class DischargeForm(forms.Form):
    discharge_date = NHSDateField(
        label="Last day on the caseload", validators=declared(Episode, "discharge_date")
    )
    discharge_reason = forms.ChoiceField(
        label="Reason",
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason"},
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_discharge_date(self) -> date:
        value: date = self.cleaned_data["discharge_date"]
        start = (
            self.episode.vocational_profile_date
            or self.episode.accepted_date
            or self.episode.referral_date
        )
        if value < start:
            raise forms.ValidationError(
                f"Last day on the caseload must be on or after {format_date(start)}"
            )
        return value


class EpisodeContextForm(forms.Form):
    """Who else is involved, and what the client agrees may be shared with employers."""

    clinical_team = forms.ModelChoiceField(
        ClinicalTeam.objects.none(), required=False, empty_label="Not known yet"
    )
    care_coordinator = forms.CharField(
        label="Care coordinator",
        required=False,
        max_length=200,
        validators=declared(Episode, "care_coordinator"),
    )
    consent_to_share_with_employers = forms.ChoiceField(
        label="Do they consent to sharing information with employers?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not asked yet")],
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        consent = episode.consent_to_share_with_employers
        kwargs["initial"] = {
            "clinical_team": episode.clinical_team_id,
            "care_coordinator": episode.care_coordinator,
            "consent_to_share_with_employers": ""
            if consent is None
            else ("yes" if consent else "no"),
        }
        super().__init__(*args, **kwargs)
        teams = episode.service.clinical_teams.all()
        field_as(self, "clinical_team", forms.ModelChoiceField).queryset = teams

    def clean_consent_to_share_with_employers(self) -> bool | None:
        answer = self.cleaned_data["consent_to_share_with_employers"]
        return None if not answer else answer == "yes"


class ReassignForm(forms.Form):
    """Hand the episode to another of the service's employment specialists in post."""

    employment_specialist = forms.ModelChoiceField(
        StaffMember.objects.none(),
        label="New employment specialist",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the new employment specialist",
            "invalid_choice": "Select an employment specialist from the list",
        },
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        staff = StaffMember.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()),
            service=episode.service,
            role=StaffRole.EMPLOYMENT_SPECIALIST,
        ).exclude(pk=episode.employment_specialist_id or 0)
        field_as(self, "employment_specialist", forms.ModelChoiceField).queryset = staff


class RetentionChangeForm(forms.Form):
    """A change in work of a client employed at referral: what it is, and from when."""

    status = forms.ChoiceField(
        label="What has changed?",
        choices=RetentionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what has changed",
            "invalid_choice": "Select what has changed from the list",
        },
    )
    date = NHSDateField(
        label="Date of the change",
        validators=declared(RetentionChange, "date"),
        help_text="The first day of the new status. For example, 15 3 2026",
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_date(self) -> datetime.date:  # `date` is the field, in here
        value: datetime.date = self.cleaned_data["date"]
        referred = self.episode.referral_date
        if value < referred:
            raise forms.ValidationError(
                f"Date of the change must be on or after the referral date, {format_date(referred)}"
            )
        return value
