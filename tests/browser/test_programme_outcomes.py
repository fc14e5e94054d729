"""The pages that differ by programme pass axe with what only another programme shows: a
primary care dashboard over a change of programme (the note, job outcomes, the table by
employment specialist) and a network with two programmes' funnels."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.roles import Role
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World
from tests.outcomes.test_network_disclosure import populate
from tests.outcomes.test_programme_dashboards import qualifying_job, switch
from tests.outcomes.test_programme_network import deliver, services


def test_a_primary_care_dashboard_over_a_change_passes_axe(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    qualifying_job(world)
    switch(world, "ips_primary_care", date(2025, 1, 1))
    page = sign_in_as(world.users[Role.TEAM_LEADER])
    url = reverse("outcomes:service", kwargs={"pk": world.service_a.pk})
    page.goto(f"{live_server.url}{url}?as_of=2025-06-30")
    expect(page.locator("#programme-changes")).to_contain_text("changed programme")
    expect(page.locator("#by-specialist")).to_contain_text("ES01")
    assert_accessible(page)


def test_a_network_of_two_programmes_passes_axe(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    (p0,) = services(world, 1)
    populate(world.service_a, 43, 16, "A")
    populate(p0, 46, 12, "P")
    deliver(p0, "ips_primary_care", date(2024, 4, 1))
    page = sign_in_as(world.users[Role.COMMISSIONER])
    page.goto(f"{live_server.url}{reverse('outcomes:network')}?as_of=2025-12-31")
    expect(page.get_by_role("heading", level=3)).to_have_count(2)
    assert_accessible(page)
