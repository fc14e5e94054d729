"""Every page each role can reach, checked by axe against WCAG 2.2 A and AA in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from openips.accounts.roles import Role
from tests.conftest import PASSWORD, World
from tests.test_access_matrix import RULES

AXE = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page) -> None:
    """Run axe once the page's scripts have run. The caller first waits, with an expect, for the
    page it means to check: a click's navigation may not have begun when this is called."""
    page.wait_for_load_state()
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


# Each page is checked once, signed in as the first of these roles that reaches it; every role
# is signed in at least for its home page. Templates do not change with the role beyond the
# navigation, so this checks every page without repeating the same page for eight roles.
CHECKING_ORDER = [
    Role.TEAM_LEADER,
    Role.IG_LEAD,
    Role.ADMINISTRATOR,
    Role.EMPLOYMENT_SPECIALIST,
    Role.SERVICE_MANAGER,
    Role.CLINICIAN,
    Role.COMMISSIONER,
    Role.FIDELITY_REVIEWER,
]


NOT_PAGES = {
    "core:healthz",
    "accounts:sign_in",
    "interchange:export",
    "interchange:download_file",
    "outcomes:return_download",
    "sso:start",  # redirects to the identity provider: tests/browser/test_sso.py
    "sso:callback",
}


def checked_by(name: str) -> str | None:
    """The role whose browser checks this page, or None for what is not a page to check here."""
    rule = RULES[name]
    if rule.method != "get" or rule.api or name in NOT_PAGES:
        return None  # JSON, an action, a download, or the sign-in page (its own test below)
    if rule.public:
        return Role.TEAM_LEADER
    return next(r for r in CHECKING_ORDER if r in rule.allowed)


# Pages checked as they look with what the address asks for: the search with its results, the
# lists filtered and sorted.
QUERIES = {
    "clients:search": "?q=test",
    "clients:list": "?stage=accepted&sort=stage&dir=desc",
    "casework:team_caseload": "?sort=client",
}


def pages_for(world: World, role: str) -> list[str]:
    names = ["accounts:home"] + [
        n for n in sorted(RULES) if n != "accounts:home" and checked_by(n) == role
    ]
    return [
        reverse(n, kwargs=RULES[n].own(world, role) if RULES[n].own else {}) + QUERIES.get(n, "")
        for n in names
    ]


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_page_passes_axe(role: str, world: World, live_server: Any, sign_in_as: Any) -> None:
    page = sign_in_as(world.users[role])
    for path in pages_for(world, role):
        response = page.goto(live_server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        expect(page.locator("header.nhsuk-header"), path).to_have_count(1)
        assert_accessible(page)


def test_every_page_is_checked_by_a_role_that_reaches_it() -> None:
    pages = [n for n in RULES if checked_by(n) is not None]
    assert len(pages) >= 25
    for name in pages:
        rule = RULES[name]
        assert rule.public or checked_by(name) in rule.allowed, name


def test_signing_in_through_the_form_and_the_error_summary(
    world: World, live_server: Any, page: Page
) -> None:
    page.goto(live_server.url + reverse("accounts:sign_in"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your username", use_inner_text=True)
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Username").fill("leader")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("OpenIPS$"), use_inner_text=True)
    expect(page.locator("main")).to_contain_text("Service A", use_inner_text=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:sign_in")) + "$"))
    expect(page.locator("main")).to_contain_text("You have signed out", use_inner_text=True)


def test_not_found_page_passes_axe(world: World, live_server: Any, sign_in_as: Any) -> None:
    page = sign_in_as(world.users[Role.TEAM_LEADER])
    response = page.goto(live_server.url + "/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
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
    expect(page.locator("main")).to_contain_text("A001-1", use_inner_text=True)
    context.close()


def test_correction_pages_with_their_forms_and_errors_pass_axe(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    """The handover page with a specialist to choose, and the correction forms' error summaries
    (the matrix's pages above cover them as first opened)."""
    from decimal import Decimal

    from openips.organisations.models import StaffMember, StaffRole

    StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES02",
        name="Bea B",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        fte=Decimal("1"),
    )
    page = sign_in_as(world.users[Role.TEAM_LEADER])
    episode = world.episode(world.person_a)
    pages = [
        (reverse("clients:reassign", args=[episode.pk]), "Hand over"),
        (reverse("casework:contact_delete", args=[world.contacts["a"].pk]), "Delete contact"),
    ]
    for path, button in pages:
        page.goto(live_server.url + path)
        expect(page.get_by_role("button", name=button)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()
        assert_accessible(page)
    page.goto(live_server.url + reverse("record:person", args=[world.person_a.pk]))
    page.get_by_role("link", name="Change the contact").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change a contact")
    assert_accessible(page)


def test_the_change_in_work_page_with_its_errors_passes_axe_for_a_team_leader(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    """Job retention: the page's radios and date with the error summary, and the record after."""
    episode = world.episode(world.person_a)
    episode.employment_status_at_referral = "employed"
    episode.save()
    page = sign_in_as(world.users[Role.TEAM_LEADER])
    page.goto(live_server.url + reverse("record:person", args=[world.person_a.pk]))
    page.get_by_role("link", name="Record a change in work").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a change in work")
    assert_accessible(page)
    page.get_by_role("button", name="Save the change").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Select what has changed", use_inner_text=True)
    assert_accessible(page)
    page.get_by_label("Back at work").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("main")).to_contain_text("job retention: back at work", use_inner_text=True)
    assert_accessible(page)
