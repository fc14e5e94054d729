from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings

from openips.interchange.uploads import SUFFIXES


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
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            limit = settings.IMPORT_MAX_UPLOAD_BYTES // 1024**2
            raise forms.ValidationError(f"The selected file must be smaller than {limit}MB")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload
