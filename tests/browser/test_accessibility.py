"""Every page each role can reach, checked by axe against WCAG 2.2 A and AA in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from openips.accounts.roles import Role
from tests.conftest import PASSWORD, World
from tests.test_access_matrix import RULES

AXE = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page) -> None:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def pages_for(world: World, role: str) -> list[str]:
    urls = []
    for name, rule in sorted(RULES.items()):
        if (
            rule.method == "get"
            and (rule.public or role in rule.allowed)
            and name != "accounts:sign_in"
        ):
            urls.append(reverse(name, kwargs=rule.own(world, role) if rule.own else {}))
    return urls


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_page_a_role_reaches_passes_axe(
    role: str, world: World, live_server: Any, sign_in_as: Any
) -> None:
    page = sign_in_as(world.users[role])
    for path in pages_for(world, role):
        if path == "/healthz" or path.startswith("/api/"):
            continue  # JSON, not pages
        response = page.goto(live_server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        assert page.locator("header.nhsuk-header").count() == 1, path
        assert_accessible(page)


def test_signing_in_through_the_form_and_the_error_summary(
    world: World, live_server: Any, page: Page
) -> None:
    page.goto(live_server.url + reverse("accounts:sign_in"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter your username" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_accessible(page)

    page.get_by_label("Username").fill("leader")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("OpenIPS")
    assert "Service A" in page.inner_text("main")

    page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith(reverse("accounts:sign_in"))
    assert "You have signed out" in page.inner_text("main")


def test_not_found_page_passes_axe(world: World, live_server: Any, sign_in_as: Any) -> None:
    page = sign_in_as(world.users[Role.TEAM_LEADER])
    response = page.goto(live_server.url + "/no-such-page/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)


def test_pages_work_without_javascript(world: World, live_server: Any, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:sign_in"))
    page.get_by_label("Username").fill("specialist")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Clients").first.click()
    page.get_by_role("link", name="Test A001").click()
    assert "A001-1" in page.inner_text("main")
    context.close()
