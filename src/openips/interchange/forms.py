from __future__ import annotations

from pathlib import Path

from django import forms

from openips.interchange.uploads import SUFFIXES

MAX_UPLOAD = 200 * 1024**2


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A .zip of the CSV files (staff.csv, employers.csv, episodes.csv, contacts.csv, "
        "jobs.csv) or one .xlsx workbook with a sheet for each",
        error_messages={"required": "Select a .zip or .xlsx file to import"},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("The selected file must be a .zip or an .xlsx file")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The selected file must be smaller than 200MB")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload
