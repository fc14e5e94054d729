"""Dates and quarters read from query strings and URLs: one bounded parser for every page that
reads them, so a bad or far-off value gets the NHS 400 page with a plain message, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.core import params
from tests.conftest import World, signed_in

BAD_DATES = [
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "garbage",
    "2025-02-30",
    "2025-13-01",
    "99999",
    "20251231",
    "-1",
    "2025-1-1x",
]

Page = tuple[str, str, str, Callable[[World], dict[str, Any]]]
PAGES: list[Page] = [
    ("outcomes:index", Role.EMPLOYMENT_SPECIALIST, "as_of", lambda w: {}),
    ("outcomes:index", Role.TEAM_LEADER, "as_of", lambda w: {}),
    ("outcomes:service", Role.TEAM_LEADER, "as_of", lambda w: {"pk": w.service_a.pk}),
    ("outcomes:network", Role.COMMISSIONER, "as_of", lambda w: {}),
    ("fidelity:estimates", Role.TEAM_LEADER, "as_of", lambda w: {"pk": w.service_a.pk}),
    (
        "fidelity:estimate_records",
        Role.TEAM_LEADER,
        "as_of",
        lambda w: {"pk": w.service_a.pk, "item": 15},
    ),
    ("casework:my_week", Role.EMPLOYMENT_SPECIALIST, "week", lambda w: {}),
]


def client(world: World, role: str) -> Client:
    c = signed_in(world.users[role])
    c.raise_request_exception = False  # a crash must show as the 500 it would be
    return c


def test_the_parser_keeps_dates_within_bounds() -> None:
    today = timezone.localdate()
    assert params.parse_date("2025-03-31") == date(2025, 3, 31)
    assert params.parse_date(params.EARLIEST.isoformat()) == params.EARLIEST
    assert params.parse_date(params.latest().isoformat()) == today + params.AHEAD
    for text in [*BAD_DATES, (params.latest() + timedelta(days=1)).isoformat()]:
        with pytest.raises(params.BadParameter):
            params.parse_date(text)


@pytest.mark.parametrize(("name", "role", "key", "kwargs"), PAGES)
def test_every_page_refuses_a_bad_date_with_the_nhs_400_page(
    world: World, name: str, role: str, key: str, kwargs: Callable[[World], dict[str, Any]]
) -> None:
    url = reverse(name, kwargs=kwargs(world))
    c = client(world, role)
    assert c.get(url, {key: "2025-12-31"}).status_code == 200
    assert c.get(url).status_code == 200  # no date: today, as before
    for text in BAD_DATES:
        response = c.get(url, {key: text})
        page = response.content.decode()
        assert response.status_code == 400, (name, text)
        assert 'class="nhsuk-header' in page and "Traceback" not in page
        assert "Enter a date" in page, (name, text)


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.COMMISSIONER])
def test_a_quarter_malformed_or_out_of_range_is_refused_with_the_nhs_400_page(
    world: World, role: str
) -> None:
    c = client(world, role)
    ahead = params.latest().year
    for quarter in (
        "0000-01-Q1",
        "1899-00-Q3",  # July to September 1899
        "9999-00-Q4",
        f"{ahead}-{(ahead + 1) % 100:02d}-Q4",  # January to March of the year after the bounds
        "0000-Q1",  # the older calendar form, out of range too
        "9999-Q4",
        "2025-26-Q5",
        "2025-27-Q1",  # the years do not follow each other
        "2025-26-Q0",
        "2025_26-Q1",
        "2025-Q5",
        "2025Q1",
        "99999-Q1",
        "2025-26",
    ):
        url = reverse("outcomes:return_download", args=["ips-grow", quarter, "csv"])
        response = c.get(url)
        page = response.content.decode()
        assert response.status_code == 400, quarter
        assert "Choose a quarter" in page and 'class="nhsuk-header' in page, quarter
    url = reverse("outcomes:return_download", args=["ips-grow", "2024-25-Q4", "csv"])
    assert c.get(url).status_code == 200
    assert c.get(url.replace("ips-grow", "nonsense")).status_code == 404  # no such return


def test_the_quarter_parser() -> None:
    assert params.parse_quarter("2026-27-Q1") == params.Quarter(2026, 1)
    assert params.parse_quarter("1899-00-Q4").start == date(1900, 1, 1)  # within the bounds
    for text in ("2026-27-Q5", "2026-28-Q1", "2026-27Q1", " 2026-27-Q1", "2026-27-q1", ""):
        with pytest.raises(params.BadParameter):
            params.parse_quarter(text)
