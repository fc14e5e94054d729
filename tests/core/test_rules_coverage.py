"""Rules coverage: every date, number and one-line text a person can enter has its bounds, at
the model field (ADR 0016), and every form field that enters one runs them. A new field without
them fails here, unless it is listed below with the reason it needs none."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from openips.core.forms import NHSDateField

# Fields no person types in: written by the system, derived or computed. With the reason.
SYSTEM_SET = {
    "accounts.User.password": "a password hash",
    "accounts.ApiToken.prefix": "the first characters of a generated token",
    "accounts.ApiToken.token_hash": "a SHA-256 hash",
    "accounts.ReviewerAccess.starts_on": "derived from the review's bounded visit dates",
    "accounts.ReviewerAccess.ends_on": "derived from the review's bounded visit dates",
    "benefits.Estimate.tax_year": "chosen from the rates held (benefits/data/rates.json)",
    "benefits.Estimate.income_now": "computed by the calculator from bounded form fields",
    "benefits.Estimate.income_in_work": "computed by the calculator from bounded form fields",
    "fidelity.Review.scale_id": "the id of a scale held as data (fidelity/data)",
    "interchange.ImportJob.file_name": "the uploaded file's name, shown escaped, never a path",
    "interchange.ImportJob.more_problems": "a count the import keeps of problems not stored",
    "core.ScheduledRun.job": "a job's name from settings.SCHEDULE",
    "core.ScheduledRun.task_id": "the id of the task the schedule queued",
    "interchange.ImportProgress.job_id": "the id of the import the worker is running",
    "interchange.ImportProgress.task_id": "the id of the task the worker is running",
    "interchange.ImportProgress.table": "the name of the table being written",
    "interchange.ImportProgress.done": "a count the worker keeps of rows written",
    "interchange.ImportProgress.total": "a count the worker keeps of rows to write",
    "accounts.ProviderIdentity.name": "a fixed label",
    "accounts.ProviderIdentity.issuer": "from the identity provider's signed ID token",
    "accounts.ProviderIdentity.subject": "from the identity provider's signed ID token",
}
SYSTEM_APPS = {"audit"}  # the append-only trail records what happened, as it happened
LINE_BREAKS = ["Cleaner\r=1+1", "two\nlines", "tab\there", "nel\x85x", "sep\u2028x"]


def model_fields() -> Iterator[tuple[str, models.Field[Any, Any]]]:
    for model in apps.get_app_config("core").apps.get_models():
        app = model._meta.app_label
        if not model.__module__.startswith("openips.") or app in SYSTEM_APPS:
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.label}.{field.name}"
            if field.name == "version" or name in SYSTEM_SET:
                continue
            if isinstance(field, models.DateTimeField | models.AutoField | models.ForeignKey):
                continue  # timestamps are the server's; keys are the database's
            yield name, field


def refuses(field: models.Field[Any, Any], value: Any) -> bool:
    try:
        field.run_validators(value)
    except ValidationError:
        return True
    return False


def largest_storable(field: models.DecimalField[Any]) -> Decimal:
    assert field.max_digits is not None and field.decimal_places is not None
    whole = field.max_digits - field.decimal_places
    return Decimal(10**whole) - Decimal(1).scaleb(-field.decimal_places)


FIELDS = dict(model_fields())


def of_kind(*kinds: type[models.Field[Any, Any]]) -> list[str]:
    return [n for n, f in FIELDS.items() if isinstance(f, kinds)]


def one_line_text() -> list[str]:
    return [
        n
        for n, f in FIELDS.items()
        if isinstance(f, models.CharField) and not isinstance(f, models.TextField) and not f.choices
    ]


@pytest.mark.parametrize("name", of_kind(models.DateField))
def test_every_date_is_bounded(name: str) -> None:
    field = FIELDS[name]
    assert refuses(field, date(1899, 12, 31)), f"{name} accepts a date before 1900"
    assert refuses(field, date(9999, 12, 31)), f"{name} accepts 9999-12-31"
    assert not refuses(field, date(2000, 1, 1))


@pytest.mark.parametrize("name", of_kind(models.IntegerField, models.DecimalField))
def test_every_number_has_a_lower_and_an_upper_bound(name: str) -> None:
    field = FIELDS[name]
    decimal = isinstance(field, models.DecimalField)
    huge = largest_storable(field) if decimal else 2_000_000_000  # both fit the column
    assert refuses(field, Decimal(-1) if decimal else -1), f"{name} accepts a negative number"
    assert refuses(field, huge), f"{name} accepts {huge}"


@pytest.mark.parametrize("name", one_line_text())
def test_every_one_line_text_refuses_line_breaks_and_tabs(name: str) -> None:
    field = FIELDS[name]
    for value in LINE_BREAKS:
        assert refuses(field, value), f"{name} accepts {value!r}"


def test_the_coverage_sees_the_fields_it_is_meant_to() -> None:
    assert "casework.Contact.date" in of_kind(models.DateField)
    assert "employment.Job.hours_per_week" in of_kind(models.DecimalField)
    assert "clients.Person.client_id" in one_line_text()
    assert "employment.Employer.people" not in one_line_text()  # multi-line notes may break


RECORD_FORM_APPS = ("clients", "casework", "employment", "fidelity", "benefits", "organisations")
FORM_EXEMPT = {
    "clients.forms.ReferralForm.nhs_number": "clean_nhs_number takes out spaces, then checks",
    "clients.forms.PersonFields.nhs_number": "clean_nhs_number takes out spaces, then checks",
    "clients.forms.PersonDetailsForm.nhs_number": "clean_nhs_number takes out spaces, then checks",
    "fidelity.forms.ActionStatusForm.version": "the version read, checked by core.services",
}


def record_forms() -> Iterator[tuple[str, type[forms.BaseForm]]]:
    for app in RECORD_FORM_APPS:
        module = importlib.import_module(f"openips.{app}.forms")
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield f"{app}.forms.{name}", form


def needs_rules(field: forms.Field) -> bool:
    if isinstance(field, NHSDateField | forms.IntegerField | forms.DecimalField):
        return True
    return type(field) is forms.CharField and not isinstance(
        field.widget, forms.Textarea | forms.HiddenInput
    )


def hostile(field: forms.Field) -> list[Any]:
    if isinstance(field, NHSDateField):
        return [date(1899, 12, 31), date(9999, 12, 31)]
    if isinstance(field, forms.DecimalField):
        return [Decimal(-1), Decimal(2_000_000_000)]
    if isinstance(field, forms.IntegerField):
        return [-1, 2_000_000_000]
    return LINE_BREAKS


def form_refuses(form: type[forms.BaseForm], name: str, value: Any) -> bool:
    """The form field's own validators refuse it, or (for a ModelForm's model field) the
    model's, which its _post_clean runs."""
    try:
        form.base_fields[name].run_validators(value)
    except ValidationError:
        return True
    if issubclass(form, forms.BaseModelForm) and name in (form._meta.fields or []):
        return refuses(form._meta.model._meta.get_field(name), value)
    return False


def form_fields() -> list[str]:
    found = []
    for label, form in record_forms():
        for name, field in form.base_fields.items():
            if needs_rules(field):
                found.append(f"{label}.{name}")
    return found


@pytest.mark.parametrize("path", form_fields())
def test_every_form_field_entering_a_date_number_or_line_runs_the_rules(path: str) -> None:
    if path in FORM_EXEMPT:
        return
    module, cls, name = path.rsplit(".", 2)
    form = getattr(importlib.import_module(f"openips.{module}"), cls)
    for value in hostile(form.base_fields[name]):
        assert form_refuses(form, name, value), f"{path} accepts {value!r}"
