"""Single sign-on in Chromium: from OpenIPS's sign-in page to the identity provider (a real
oidc-provider, tests/oidc/provider.mjs) and back, signed in as the matched account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World
from tests.oidc.provider import ACCOUNTS, Provider, running_provider


@pytest.fixture
def provider(live_server: Any) -> Iterator[Provider]:
    with running_provider([f"{live_server.url}/sso/callback/"]) as running:
        yield running


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    for name, value in provider.rp_settings().items():
        setattr(settings, name, value)
    settings.OTP_REQUIRED = True  # as in production: the provider's second factor must count
    return provider


@pytest.fixture
def esme(world: World) -> User:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    user.email = ACCOUNTS["with-mfa"]["email"]
    user.save()
    return user


def sign_in_with_nhs_account(page: Page, live_server: Any, login: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in with your NHS account").click()
    expect(page.get_by_role("heading", name="Sign in to your NHS account")).to_be_visible()
    page.get_by_label("Login name").fill(login)
    page.get_by_role("button", name="Continue").click()


def test_signing_in_with_an_nhs_account_lands_on_the_home_page(
    esme: User, sso: Provider, live_server: Any, page: Page
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("button", name="Sign in with your NHS account")).to_be_visible()
    assert_accessible(page)

    sign_in_with_nhs_account(page, live_server, "with-mfa")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Specialist, employment specialist"
    )
    expect(page.locator("main")).to_contain_text("Service A")
    # Two-factor is required and the provider's second factor met it: the pages open.
    page.get_by_role("link", name="Clients").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=esme)
    assert sign_in.changes["method"] == "nhs_identity"


def test_an_nhs_account_unknown_to_openips_is_refused(
    world: World, sso: Provider, live_server: Any, page: Page
) -> None:
    accounts = User.objects.count()
    sign_in_with_nhs_account(page, live_server, "stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "There is no OpenIPS account for your NHS account"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Go back to the sign-in page").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert User.objects.count() == accounts
