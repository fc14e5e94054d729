"""Helpers that let templates render Django form fields with the NHS.UK components."""

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from openips.core.params import MAX_ID
from openips.core.rules import LABELLED

F = TypeVar("F", bound=forms.Field)


def field_as(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """One of the form's fields as the kind it was declared, to set its choices or queryset at
    run time: `form.fields` holds each as a plain Field."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field


def widget_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def choice_items(bound: forms.BoundField) -> list[dict[str, Any]]:
    field = bound.field
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{bound.name} is not a choice field")
    # Django keeps choices normalised on assignment: pairs, or an iterator of them.
    choices = cast("Iterable[tuple[Any, Any]]", field.choices)
    current = bound.value()
    selected = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    return [
        {
            "value": str(value),
            "text": str(label),
            "selected": str(value) in selected,
            "checked": str(value) in selected,
        }
        for value, label in choices
    ]


def with_hints(items: list[dict[str, Any]], hints: dict[str, str] | None) -> list[dict[str, Any]]:
    """Radio or checkbox items, each with its hint from `hints` (by value) where it has one."""
    if not hints:
        return items
    return [
        item | ({"hint": {"text": hints[item["value"]]}} if item["value"] in hints else {})
        for item in items
    ]


def in_sentence(label: object) -> str:
    """A label as words within a sentence: "Date of birth" → "date of birth"; a label that
    starts with an abbreviation ("NHS number", "SOC 2020 code") keeps its capitals."""
    text = str(label).removesuffix(" (optional)").strip().rstrip("?:")
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def enter_the(label: object) -> str:
    """What an empty field's message says: "Enter the client's age"."""
    return f"Enter the {in_sentence(label)}"


# Django's own wording, which names no field ("This field is required.") or repeats a raw value
# ("Select a valid choice. x is not one of the available choices."): said from the label instead.
_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def _from_label(bound: forms.BoundField, code: str | None, text: str) -> str:
    label = bound.label or bound.name.replace("_", " ").capitalize()
    choosing = widget_kind(bound) in ("radios", "checkboxes", "select")
    if code == "required" and text == _DJANGO_REQUIRED:
        if not choosing:
            return enter_the(label)
        if str(label).endswith("?"):
            return f"Answer the question: {label}"
        return f"Select the {in_sentence(label)}"
    if code in ("invalid_choice", "invalid_pk_value") and text.startswith("Select a valid choice"):
        return f"Select the {in_sentence(label)} from the list"  # noqa: S608 (not SQL)
    return text


def error_text(bound: forms.BoundField) -> str:
    """The field's first error as the page shows it. A model rule (core.rules) says what is
    wrong after the field's name, and the name is the label here."""
    error = bound.errors.as_data()[0]
    text = " ".join(str(m) for m in error.messages)
    if error.code not in LABELLED:
        return _from_label(bound, error.code, text)
    return f"{str(bound.label).removesuffix(' (optional)')} {text}"


def saved_value_problems(model: type[models.Model], error: ValidationError, noun: str) -> list[str]:
    """A save the model's rules refused for a value this page does not enter: a record stored
    before the rules (ADR 0016). Said in the error summary, so the page answers, not a 500."""
    fields = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: [error]}
    found = []
    names = {
        f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }
    for name, errors in fields.items():
        label = "" if name == NON_FIELD_ERRORS else names.get(name, name)
        for each in errors:
            for message in each.messages:
                found.append(f"The saved {noun} needs correcting first: {label} {message}")
    return [" ".join(text.split()) for text in found]


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """The error summary's links: each field's first error, pointing at the field."""
    items = [{"text": str(message)} for message in form.non_field_errors()]
    for name in form.errors:
        if name == NON_FIELD_ERRORS:
            continue
        bound = form[name]
        target = bound.id_for_label or bound.auto_id
        if widget_kind(bound) in ("radios", "checkboxes"):
            target = bound.auto_id  # the NHS macros give the first choice the bare prefix
        elif widget_kind(bound) == "date":
            target = f"{bound.auto_id}_day"
        items.append({"text": error_text(bound), "href": f"#{target}"})
    return items


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, rendered with the NHS.UK date input component."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        names = ("day", "month", "year")
        parts: dict[str, forms.Widget | type[forms.Widget]] = dict.fromkeys(names, forms.TextInput)
        super().__init__(widgets=parts, attrs=attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NHSDateField(forms.Field):
    """A date entered as day, month and year, with the NHS design system's error wording."""

    widget = DateInputWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = enter_the(label)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        parts = [str(v).strip() if v is not None else "" for v in value]
        if not any(parts):
            return None
        name = str(self.label)
        missing = [
            part for part, text in zip(("day", "month", "year"), parts, strict=True) if not text
        ]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and a '.join(missing)}")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise forms.ValidationError(f"{name} must be a real date")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date") from None


def date_parts(bound: forms.BoundField) -> dict[str, Any]:
    value = bound.value()
    parts = value if isinstance(value, list | tuple) else DateInputWidget().decompress(value)
    return dict(
        zip(("day", "month", "year"), (p if p is not None else "" for p in parts), strict=True)
    )


M = TypeVar("M", bound=models.Model)


class RecordsField(forms.ModelMultipleChoiceField[M]):
    """Several records chosen by id. An id beyond what the database can hold is not one of the
    choices (Django's own field passes it to the database, which fails on it)."""

    def clean(self, value: Any) -> models.QuerySet[M]:
        for pk in value if isinstance(value, list | tuple) else []:
            if str(pk).isdigit() and int(pk) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)
