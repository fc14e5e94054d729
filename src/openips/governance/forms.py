from django import forms


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label="Name, NHS number, client ID or date of birth",
        required=False,
        max_length=100,
        help_text="For example, Dev Khan, 999 123 4560 or 4 March 1990",
    )
    username = forms.CharField(label="Username", required=False, max_length=150)

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("username"):
            raise forms.ValidationError("Enter a name, an NHS number, a client ID or a username")
        return data
