from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

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
