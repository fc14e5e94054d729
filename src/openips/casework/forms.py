from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from openips.casework.codes import ContactWith, DeletionReason, Mode, Purpose, Setting
from openips.casework.models import (
    PROFILE_SECTIONS,
    Appointment,
    Contact,
    Intervention,
    VocationalProfile,
)
from openips.clients.models import Episode
from openips.core.forms import NHSDateField, field_as
from openips.core.rules import declared
from openips.employment.models import Employer


class ContactForm(forms.Form):
    """A contact about one client's episode: with them, an employer, the clinical team, DWP…"""

    date = NHSDateField(label="Date of the contact", validators=declared(Contact, "date"))
    contact_with = forms.ChoiceField(
        label="Who with",
        choices=ContactWith.choices,
        widget=forms.RadioSelect,
        initial=ContactWith.CLIENT,
        error_messages={"required": "Select who the contact was with"},
    )
    employer = forms.ModelChoiceField(
        Employer.objects.none(), required=False, empty_label="Not an employer contact"
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact happened"},
    )
    setting = forms.ChoiceField(
        label="Where (face-to-face contacts)",
        required=False,
        choices=[("", "Not face to face"), *Setting.choices],
    )
    minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        validators=declared(Contact, "minutes"),
        error_messages={"invalid": "Minutes must be a whole number"},
    )
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose"},
    )
    attended = forms.ChoiceField(
        label="Did it happen?",
        widget=forms.RadioSelect,
        initial="yes",
        choices=[("yes", "Yes"), ("no", "No, they did not attend")],
    )
    matches_preferences = forms.ChoiceField(
        label="Employer contacts: does the job match their preferences?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No")],
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        employers = Employer.objects.filter(service=episode.service)
        field_as(self, "employer", forms.ModelChoiceField).queryset = employers

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value < self.episode.referral_date:
            raise forms.ValidationError("Date of the contact must be on or after the referral date")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_with") == ContactWith.EMPLOYER and not data.get("employer"):
            self.add_error("employer", "Select the employer")
        if data.get("setting") and data.get("mode") != Mode.FACE_TO_FACE:
            self.add_error("setting", "Only face-to-face contacts have a setting")
        data["attended"] = data.get("attended") != "no"
        answer = data.get("matches_preferences")
        data["matches_preferences"] = None if not answer else answer == "yes"
        return data


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class ContactChangeForm(ContactForm):
    """The contact form, filled in with what the contact says now."""

    def __init__(self, *args: Any, contact: Contact, episode: Episode, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "date": contact.date,
            "contact_with": contact.contact_with,
            "employer": contact.employer_id,
            "mode": contact.mode,
            "setting": contact.setting,
            "minutes": contact.minutes,
            "purpose": contact.purpose,
            "attended": _yes_no(contact.attended),
            "matches_preferences": _yes_no(contact.matches_preferences),
            "notes": contact.notes,
        }
        super().__init__(*args, episode=episode, **kwargs)


class ContactDeleteForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you deleting this contact?",
        choices=DeletionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are deleting this contact"},
    )
    note = forms.CharField(
        label="More about the reason",
        required=False,
        max_length=200,
        validators=declared(Contact, "deletion_note"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == DeletionReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Enter the reason for deleting this contact")
        return data


class VocationalProfileForm(forms.ModelForm[VocationalProfile]):
    """A new version of the profile. The first also asks the date engagement began."""

    started = NHSDateField(
        label="Date the vocational profile was started",
        validators=declared(Episode, "vocational_profile_date"),
    )
    field_order = ["started"]

    class Meta:
        model = VocationalProfile
        fields = list(PROFILE_SECTIONS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "preferred_jobs",
                "work_history",
                "education",
                "skills_and_strengths",
                "barriers",
                "disclosure_preference",
            )
        }

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        if episode.vocational_profile_date is not None:
            del self.fields["started"]

    def clean_started(self) -> dt.date:
        value: dt.date = self.cleaned_data["started"]
        if self.episode.accepted_date is None or value < self.episode.accepted_date:
            raise forms.ValidationError(
                "Date the vocational profile was started must be on or after acceptance"
            )
        return value


class EmployerContactForm(forms.Form):
    """Job development not about one client: meeting employers, learning what they need."""

    date = NHSDateField(label="Date of the contact", validators=declared(Contact, "date"))
    employer = forms.ModelChoiceField(
        Employer.objects.none(),
        error_messages={
            "required": "Select the employer",
            "invalid_choice": "Select an employer from the list",
        },
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact happened"},
    )
    minutes = ContactForm.base_fields["minutes"]
    attended = forms.ChoiceField(
        label="Did it happen?",
        widget=forms.RadioSelect,
        initial="yes",
        choices=[("yes", "Yes"), ("no", "No")],
    )

    def __init__(self, *args: Any, service_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employers = (
            Employer.objects.filter(service_id=service_id)
            if service_id
            else Employer.objects.none()
        )
        field_as(self, "employer", forms.ModelChoiceField).queryset = employers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["attended"] = data.get("attended") != "no"
        return data


class InterventionForm(forms.ModelForm[Intervention]):
    start_date = NHSDateField(label="Start date")
    end_date = NHSDateField(
        label="End date", required=False, help_text="Leave empty while it continues"
    )

    class Meta:
        model = Intervention
        fields = ["kind", "description", "start_date", "end_date"]
        labels = {"kind": "What it is"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"kind": {"required": "Select what it is"}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "End date must be on or after the start date")
        return data


# "14:30", "9:05", "2pm", "2:30pm", "9.15 am": the ways people write a time of day.
TIME = re.compile(r"\A(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?\Z", re.IGNORECASE)


class TimeOfDayField(forms.Field):
    """A time of day typed in one box, 24-hour or with am/pm."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, dt.time) or value in (None, ""):
            return value or None
        found = TIME.match(str(value).strip())
        wrong = forms.ValidationError(f"{self.label} must be a time, like 14:30 or 2:30pm")
        if found is None:
            raise wrong
        hour, minute = int(found[1]), int(found[2] or 0)
        if found[3]:
            if not 1 <= hour <= 12:
                raise wrong
            hour = hour % 12 + (12 if found[3][0].lower() == "p" else 0)
        if hour > 23 or minute > 59:
            raise wrong
        return dt.time(hour, minute)

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%H:%M}" if isinstance(value, dt.time) else value


class AppointmentForm(forms.Form):
    """A contact with the client planned ahead: when, where and how."""

    date = NHSDateField(label="Date of the appointment", validators=declared(Appointment, "date"))
    time = TimeOfDayField(label="Time")
    place = forms.CharField(
        label="Where",
        required=False,
        max_length=100,
        validators=declared(Appointment, "place"),
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you will meet"},
    )
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose"},
    )

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value < timezone.localdate():
            raise forms.ValidationError("Date of the appointment must be today or in the future")
        return value


class OutcomeForm(forms.Form):
    """What happened at a planned appointment: saved as the contact it became."""

    attended = forms.ChoiceField(
        label="Did the appointment happen?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No, they did not attend")],
    )
    minutes = ContactForm.base_fields["minutes"]
    setting = ContactForm.base_fields["setting"]
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, appointment: Appointment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if appointment.mode != Mode.FACE_TO_FACE:
            del self.fields["setting"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["attended"] = data.get("attended") == "yes"
        data.setdefault("setting", "")
        return data
