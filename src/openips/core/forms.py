"""Helpers that let templates render Django form fields with the NHS.UK components."""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS


def widget_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
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
    current = bound.value()
    selected = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    return [
        {
            "value": str(value),
            "text": str(label),
            "selected": str(value) in selected,
            "checked": str(value) in selected,
        }
        for value, label in bound.field.choices  # type: ignore[attr-defined]
    ]


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """The error summary's links: each field's first error, pointing at the field."""
    items = [{"text": str(message)} for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        bound = form[name]
        target = bound.id_for_label or bound.auto_id
        if widget_kind(bound) == "radios":
            target = f"{bound.auto_id}_0"
        items.append({"text": str(errors[0]), "href": f"#{target}"})
    return items
