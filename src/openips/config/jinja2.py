"""The Jinja2 environment: our templates first, then the NHS.UK frontend components."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import BaseLoader, ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from openips.accounts.navigation import navigation_items
from openips.accounts.oidc import sso_enabled
from openips.accounts.presenters import name_and_role
from openips.core.formatting import format_date, format_datetime, format_time
from openips.core.forms import (
    choice_items,
    date_parts,
    error_list,
    error_text,
    widget_kind,
    with_hints,
)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(loader: BaseLoader, **options: Any) -> Environment:
    # ChainableUndefined is what the NHS.UK macros expect for their nested optional parameters.
    options.pop("autoescape", None)
    options["undefined"] = ChainableUndefined
    env = Environment(
        loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]),
        autoescape=True,
        **options,
    )
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": messages.get_messages,
            "service_name": settings.SERVICE_NAME,
            "two_factor_relaxed": not settings.OTP_REQUIRED,
            "sso_enabled": sso_enabled,
            "navigation_items": navigation_items,
            "error_list": error_list,
            "error_text": error_text,
            "widget_kind": widget_kind,
            "choice_items": choice_items,
            "with_hints": with_hints,
            "date_parts": date_parts,
        }
    )
    env.filters.update(
        {
            "date": format_date,
            "datetime": format_datetime,
            "time": format_time,
            "name_and_role": name_and_role,
        }
    )
    return env
