"""An administrator changes a service's programme from the services list: the error summary
when nothing is chosen, then the saved programme on the list; each step passes axe."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from openips.accounts.roles import Role
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journey import fill_date
from tests.conftest import World


def test_an_administrator_changes_a_services_programme(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    page = sign_in_as(world.users[Role.ADMINISTRATOR])
    page.goto(live_server.url + reverse("accounts:services"))
    page.get_by_role("link", name="Change programme of Service A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change programme")
    assert_accessible(page)

    page.get_by_role("button", name="Save the programme").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the date it applies from")
    assert_accessible(page)

    page.get_by_label("IPS in Primary Care").check()
    fill_date(page, "Date it applies from", timezone.localdate())
    page.get_by_role("button", name="Save the programme").click()
    expect(page.locator("main")).to_contain_text("Programme of Service A saved")
    row = page.get_by_role("row").filter(has_text="Service A")
    expect(row).to_contain_text("IPS in Primary Care")
    assert_accessible(page)
