from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxValueValidator, MinValueValidator

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.organisations.models import ClinicalTeam, Network, Organisation, Service


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both may be case-sensitive.",
        "inactive": "This account is switched off. Contact your administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "Security code must be 6 digits",
            "max_length": "Security code must be 6 digits",
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Security code must be 6 digits")
        return token


class UserForm(forms.ModelForm[User]):
    """An administrator's form for one account: who it is, its role and what it is attached to."""

    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Select a role"}
    )
    network = forms.ModelChoiceField(
        Network.objects.all(), required=False, empty_label="Not attached"
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(), required=False, empty_label="Not attached"
    )
    service = forms.ModelChoiceField(
        Service.objects.all(),
        required=False,
        empty_label="Not attached",
        label="Service (IPS team)",
    )
    clinical_team = forms.ModelChoiceField(
        ClinicalTeam.objects.select_related("service"), required=False, empty_label="Not attached"
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "network",
            "organisation",
            "service",
            "clinical_team",
            "is_active",
        ]
        labels = {"is_active": "Account is active", "email": "Email address"}
        error_messages = {
            "username": {
                "required": "Enter a username",
                "unique": "That username is taken. Choose another.",
            }
        }


ACCESS_FIELDS = ("role", "network", "organisation", "service", "clinical_team", "is_active")


class AccountForm(UserForm):
    """Changing an existing account. On one's own account the role, what it is attached to and
    whether it is on are not offered (services.update_user refuses them too); on another's, an
    administrator may set a new password, which its owner must change at next sign-in."""

    new_password = forms.CharField(
        label="New password (optional)",
        widget=forms.PasswordInput,
        strip=False,
        required=False,
        help_text="Leave this empty to keep the password. The person must change a new one "
        "when they next sign in.",
    )

    def __init__(self, *args: Any, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own = own
        if own:
            for name in (*ACCESS_FIELDS, "new_password"):
                del self.fields[name]

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class NewUserForm(UserForm):
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="At least 12 characters. The person changes it after first sign-in.",
        error_messages={"required": "Enter a first password"},
    )

    class Meta(UserForm.Meta):
        fields = [f for f in UserForm.Meta.fields if f != "is_active"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class TokenNameForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="For example, the team's reporting spreadsheet",
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.IntegerField(label="How many days it lasts", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        most = settings.API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        days.initial = min(settings.API_TOKEN_DAYS, most)
        days.help_text = (
            f"From 1 to {most} days; {days.initial} if you leave it empty. After that the token "
            "stops working."
        )
        days.validators = [
            MinValueValidator(1, "A token must last at least 1 day"),
            MaxValueValidator(most, f"A token can last at most {most} days"),
        ]
        days.error_messages = {"invalid": "Enter the number of days as a whole number, like 90"}

    def clean_days(self) -> int:
        days: int | None = self.cleaned_data["days"]
        return self.fields["days"].initial if days is None else days


class NHSPasswordChangeForm(PasswordChangeForm):
    """Django's password change (the settings' password validators apply), in NHS words."""

    error_messages = {
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "Enter the same new password twice",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Current password", "Enter your current password"),
            "new_password1": ("New password", "Enter a new password"),
            "new_password2": ("Confirm new password", "Enter your new password again"),
        }
        for name, (label, required) in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = required
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not all numbers, and not like "
            "your name or username."
        )

    def clean(self) -> dict[str, Any]:
        # As SetPasswordForm.clean, but a weak password's message goes by the field it is typed in.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        password = self.cleaned_data.get("new_password1")
        if password and "new_password1" not in self.errors and self.user.check_password(password):
            self.add_error("new_password1", "Choose a new password, not your current one")
        forms.Form.clean(self)
        return self.cleaned_data


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={
            "required": "Select approve or refuse",
            "invalid_choice": "Select approve or refuse",
        },
    )
