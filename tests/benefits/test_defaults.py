"""The estimate page starts from what is known: a tax year whose rates are all confirmed, and
the client's age from their date of birth; its answer comes first on the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.utils import timezone

from openips.benefits.forms import ScenarioForm, years_old
from openips.benefits.rates import all_years, default_tax_year, rates_for
from tests.benefits.factories import SCENARIO
from tests.benefits.test_pages import specialist, url  # noqa: F401  (the fixture)
from tests.conftest import World


def test_the_default_year_is_the_latest_begun_with_every_figure_confirmed() -> None:
    years = all_years()
    assert rates_for("2026/27").unconfirmed()  # the held 2026/27 entry lacks figures
    assert default_tax_year(date(2026, 12, 2)) == "2025/26"
    assert default_tax_year(date(2025, 6, 1)) == "2025/26"
    confirmed = replace(years["2026/27"], sections=years["2025/26"].sections)
    complete = {**years, "2026/27": confirmed}  # as once its figures are confirmed
    assert default_tax_year(date(2026, 12, 2), complete) == "2026/27"
    assert default_tax_year(date(2026, 3, 1), complete) == "2025/26"  # not begun yet
    assert ScenarioForm(today=date(2026, 12, 2)).fields["tax_year"].initial == "2025/26"


def test_age_from_the_date_of_birth() -> None:
    assert years_old(date(1990, 12, 3), date(2026, 12, 2)) == 35
    assert years_old(date(1990, 12, 2), date(2026, 12, 2)) == 36
    assert years_old(None, date(2026, 12, 2)) is None


def test_the_page_fills_in_the_clients_age(world: World, specialist: Any) -> None:  # noqa: F811
    person = world.person_a
    person.date_of_birth = date(1990, 1, 1)
    person.save()
    page = " ".join(specialist.get(url(world)).content.decode().split())
    age = years_old(date(1990, 1, 1), timezone.localdate())
    assert f'name="claimant_age" type="text" value="{age}"' in page
    assert 'value="2025/26" checked' in page


def test_the_answer_comes_first_and_takes_the_focus(world: World, specialist: Any) -> None:  # noqa: F811
    response = specialist.post(url(world), {**SCENARIO, "calculate": "1"})
    page = response.content.decode()
    headline = "£607.00 a month better off in work"
    assert f"<title>{headline}: Better off in work? An estimate" in page
    heading = f'id="estimate-result" tabindex="-1" autofocus>{headline}</h2>'
    assert heading in page
    assert page.index(heading) < page.index('name="tax_year"')  # above the form
    assert 'action="#estimate-result"' in page
