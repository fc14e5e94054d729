from django import forms


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label="NHS number or client ID",
        required=False,
        max_length=64,
        help_text="For example, 999 123 4560",
    )
    username = forms.CharField(label="Username", required=False, max_length=150)

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("username"):
            raise forms.ValidationError("Enter an NHS number, a client ID or a username")
        return data
