"""Every form in the product, filled with boundary and hostile values, answers with a page or
an error summary: never a server error. The forms are found by opening every page in the
access matrix as a role allowed to use it, so a new form is covered without being listed."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World, signed_in
from tests.test_access_matrix import RULES

HOSTILE = [
    "9999",  # a year (or day, month, hour) far past any sensible bound
    "0",
    "-1",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "\r\n=1+1",
    "\t@SUM(A1)",
    "x" * 5000,
    "\x00",
    "２０２５",  # full-width digits
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]


class _Forms(HTMLParser):
    """The POST forms on a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append((a.get("action") or "", set()))
        elif tag in {"input", "select", "textarea"} and self.forms and a.get("name"):
            self.forms[-1][1].add(str(a["name"]))


def _pages() -> list[str]:
    return sorted(
        name
        for name, rule in RULES.items()
        if rule.method == "get" and not rule.api and rule.allowed and rule.ok_status == 200
    )


@pytest.mark.parametrize("name", _pages())
def test_every_form_survives_hostile_input(name: str, world: World) -> None:
    rule = RULES[name]
    role = sorted(rule.allowed)[0]
    client: Client = signed_in(world.users[role])
    url = reverse(name, kwargs=rule.own(world, role) if rule.own else {})
    page = client.get(url)
    assert page.status_code == 200
    if "text/html" not in page.get("Content-Type", ""):
        return  # a download: no forms
    parser = _Forms()
    parser.feed(page.content.decode())
    for action, fields in parser.forms:
        if action.endswith(reverse("accounts:sign_out")):
            continue
        for value in HOSTILE:
            body: dict[str, Any] = dict.fromkeys(fields - {"csrfmiddlewaretoken"}, value)
            response = client.post(action or url, body)
            assert response.status_code < 500, (name, action, value)
