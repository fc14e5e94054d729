"""The outcome dashboards of the ES, team leader, manager and commissioner on the demo data:
they render with their charts and tables, and pass axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.models import User
from openips.demo.builder import build
from tests.browser.test_accessibility import assert_accessible

PAGES = [
    ("demo-es", "outcomes:index", "Your outcomes"),
    ("demo-team-leader", "outcomes:index", "Outcomes"),
    ("demo-manager", "outcomes:index", "Outcomes"),
    ("demo-commissioner", "outcomes:network", "Network outcomes"),
    ("demo-commissioner", "outcomes:returns", "Quarterly returns"),
]


@pytest.mark.parametrize(("username", "name", "heading"), PAGES)
def test_dashboards_on_the_demo_data(
    username: str, name: str, heading: str, live_server: Any, sign_in_as: Any
) -> None:
    build()
    page = sign_in_as(User.objects.get(username=username))
    page.goto(live_server.url + reverse(name))
    if username == "demo-manager":  # a manager chooses one of the organisation's services
        link = page.get_by_role("main").get_by_role("listitem").first.get_by_role("link")
        expect(link).to_be_visible()
        service = link.get_attribute("href")
        assert service is not None
        link.click()
        # The list of services has the same heading: wait for the service's own page.
        expect(page).to_have_url(live_server.url + service)
    expect(page.get_by_role("heading", level=1, name=heading)).to_have_count(1)
    # The footer follows the main content: once it is there the charts and tables can be counted.
    expect(page.locator("footer")).to_be_attached()
    charts = page.locator("svg.app-chart__svg")
    shown, tables = charts.count(), page.locator("table").count()
    for index in range(shown):
        expect(charts.nth(index)).to_have_attribute("aria-labelledby", re.compile("."))
    if name != "outcomes:returns":
        assert shown >= 1
        assert tables > shown  # every chart has its table
    assert_accessible(page)


def test_the_commissioner_chooses_the_month_the_figures_run_to(
    live_server: Any, sign_in_as: Any
) -> None:
    build()
    page = sign_in_as(User.objects.get(username="demo-commissioner"))
    page.goto(live_server.url + reverse("outcomes:network"))
    select = page.get_by_label("Figures for the 12 months to")
    option = select.locator("option").nth(1)  # the month before the latest
    expect(option).to_be_attached()
    value, text = option.get_attribute("value"), option.inner_text()
    assert value is not None
    select.select_option(value)
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(rf"as_of={value}"))
    expect(page.get_by_text(f"to {text}, for every service")).to_be_visible()
    expect(page.get_by_label("Figures for the 12 months to")).to_have_value(value)
