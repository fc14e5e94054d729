"""The one shape of a version-checked edit page (ADR 0005): form, version check, audited save,
and on a conflict the saved version shown beside the person's kept entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openips.core.forms import saved_value_problems
from openips.core.models import Versioned
from openips.core.services import EditConflict


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def versioned_edit(
    request: HttpRequest,
    obj: Versioned,
    form: forms.BaseForm,
    *,
    save: Callable[..., Any],
    template: str,
    context: dict[str, Any],
    done: tuple[str, str],
    noun: str,
) -> HttpResponse:
    """`done` is (message, URL to go to); `save(user, obj, started_from=…, **cleaned_data)`."""
    version = VersionForm(request.POST or None, initial={"version": obj.version})
    conflict = None
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            save(
                request.user, obj, started_from=version.cleaned_data["version"], **form.cleaned_data
            )
        except EditConflict as clash:
            conflict = clash.current
            form.add_error(
                None,
                f"Someone else changed this {noun} while you were working on it. "
                "Your entries are kept: check them against the saved version "
                "and save again.",
            )
            version = VersionForm(initial={"version": conflict.version})
        except ValidationError as refused:
            for problem in saved_value_problems(type(obj), refused, noun):
                form.add_error(None, problem)
        else:
            messages.success(request, done[0])
            return redirect(done[1])
    full = {**context, "form": form, "version_form": version, "conflict": conflict}
    return render(request, template, full)
