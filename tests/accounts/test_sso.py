"""Single sign-on end to end against a real OpenID provider (tests/oidc/provider.mjs): matched to
existing accounts, never creating one; refusals explained and audited; the provider's second
factor accepted only when its ID token asserts one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from openips.accounts.models import ProviderIdentity, User
from openips.accounts.oidc import (
    NHSIdentityBackend,
    SignInRefused,
    _link_first_sign_in,
    provider_second_factor,
)
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World
from tests.oidc.provider import (
    ACCOUNTS,
    Provider,
    cancel_at_provider,
    running_provider,
    sign_in_at_provider,
)

START, CALLBACK, SIGN_IN = "/sso/start/", "/sso/callback/", "/sign-in/"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(["http://testserver/sso/callback/"]) as running:
        yield running


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    for name, value in provider.rp_settings().items():
        setattr(settings, name, value)
    settings.OTP_REQUIRED = True
    return provider


@pytest.fixture
def esme(world: World) -> User:
    """The employment specialist, whose email the provider's accounts use."""
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    user.email = ACCOUNTS["with-mfa"]["email"]
    user.save()
    return user


def sso_sign_in(client: Client, login: str, **start: str) -> Any:
    """Start at OpenIPS, sign in at the provider, and bring the browser back to the callback."""
    redirect = client.get(START, start)
    assert redirect.status_code == 302
    return client.get(sign_in_at_provider(redirect["Location"], login))


def failures() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED))


def assert_refused(response: Any, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading}" in page
    assert "_auth_user_id" not in response.wsgi_request.session
    return page


def test_with_sso_off_the_sign_in_page_shows_only_the_password_form(world: World) -> None:
    page = Client().get(SIGN_IN).content.decode()
    assert "Sign in with your NHS account" not in page
    assert 'name="password"' in page
    assert Client().get(START).status_code == 404


def test_with_sso_on_the_sign_in_page_offers_the_nhs_account_first(
    world: World, sso: Provider
) -> None:
    page = Client().get(SIGN_IN, {"next": "/clients/"}).content.decode()
    button = page.index("Sign in with your NHS account")
    assert 'href="/sso/start/?next=/clients/"' in page
    assert button < page.index('name="password"')


def test_a_sign_in_with_the_providers_second_factor_is_verified_and_audited(
    esme: User, sso: Provider
) -> None:
    client = Client()
    response = sso_sign_in(client, "with-mfa", next="/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    # Two-factor is required, and the provider's second factor satisfies it: no TOTP step.
    home = client.get("/clients/")
    assert home.status_code == 200
    assert home.wsgi_request.user == esme
    identity = ProviderIdentity.objects.get(user=esme)
    assert (identity.issuer, identity.subject) == (sso.issuer, ACCOUNTS["with-mfa"]["sub"])
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=esme)
    assert sign_in.changes == {"method": "nhs_identity", "second_factor": "identity provider"}
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.provideridentity", actor=esme
    ).exists()


def test_later_sign_ins_match_on_the_providers_subject_not_the_email(
    esme: User, sso: Provider
) -> None:
    sso_sign_in(Client(), "with-mfa")
    esme.email = "esme.new@openips.example"  # the account's address changes; the link stays
    esme.save()
    client = Client()
    assert sso_sign_in(client, "with-mfa").status_code == 302
    assert client.get("/").wsgi_request.user == esme
    assert ProviderIdentity.objects.filter(user=esme).count() == 1


def test_without_the_providers_second_factor_openips_asks_for_its_own(
    world: World, sso: Provider
) -> None:
    leader = world.users[Role.TEAM_LEADER]
    leader.email = ACCOUNTS["password-only"]["email"]
    leader.save()
    client = Client()
    assert sso_sign_in(client, "password-only").status_code == 302
    assert client.get("/clients/")["Location"] == "/two-factor/set-up/"
    # Not yet signed in: that waits for OpenIPS's own security code.
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=leader).exists()
    started = AuditEvent.objects.get(action=AuditAction.AWAITING_SECOND_FACTOR, actor=leader)
    assert started.changes == {"method": "nhs_identity", "second_factor": "none asserted"}


def test_an_acr_level_configured_as_a_second_factor_counts(
    esme: User, sso: Provider, settings: Any
) -> None:
    settings.OIDC_SECOND_FACTOR_ACR = ["AAL3_ANY"]
    client = Client()
    sso_sign_in(client, "smartcard")
    assert client.get("/clients/").status_code == 200


def test_an_unknown_user_is_refused_audited_and_no_account_is_made(
    world: World, sso: Provider
) -> None:
    accounts = User.objects.count()
    response = sso_sign_in(Client(), "stranger")
    page = assert_refused(response, "There is no OpenIPS account for your NHS account")
    assert "nobody@openips.example" in page
    assert "Signing in does not create an account" in page
    assert User.objects.count() == accounts
    assert not ProviderIdentity.objects.exists()
    [failure] = failures()
    assert failure.actor is None
    assert failure.actor_label == "nobody@openips.example"
    assert failure.changes == {"method": "nhs_identity", "reason": "unknown_user"}


def test_a_token_for_another_audience_is_refused_and_audited(esme: User, sso: Provider) -> None:
    response = sso_sign_in(Client(), "other-audience")
    assert_refused(response, "Your NHS account sign-in could not be checked")
    assert not ProviderIdentity.objects.exists()
    [failure] = failures()
    assert failure.changes == {"method": "nhs_identity", "reason": "wrong_audience"}


def test_an_expired_token_is_refused_and_audited(esme: User, sso: Provider) -> None:
    """The provider's ID tokens last 60 seconds and OpenIPS allows 60 seconds of clock difference:
    a token that reaches OpenIPS ten minutes late is refused."""
    client = Client()
    redirect = client.get(START)
    callback = sign_in_at_provider(redirect["Location"], "with-mfa")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        response = client.get(callback)
    assert_refused(response, "Your NHS account sign-in has expired")
    [failure] = failures()
    assert failure.changes == {"method": "nhs_identity", "reason": "expired"}


def test_a_switched_off_account_is_refused(esme: User, sso: Provider) -> None:
    esme.is_active = False
    esme.save()
    assert_refused(sso_sign_in(Client(), "with-mfa"), "Your OpenIPS account is switched off")
    [failure] = failures()
    assert failure.actor == esme
    assert failure.changes["reason"] == "inactive"


def test_switching_an_account_off_ends_its_single_sign_on_session(
    esme: User, sso: Provider
) -> None:
    client = Client()
    sso_sign_in(client, "with-mfa")
    assert client.get("/").status_code == 200
    esme.is_active = False
    esme.save()
    assert client.get("/")["Location"].startswith(SIGN_IN)


def test_an_account_linked_to_another_nhs_account_is_not_taken_over(
    esme: User, sso: Provider
) -> None:
    ProviderIdentity.objects.create(user=esme, name="NHS identity", issuer=sso.issuer, subject="x")
    response = sso_sign_in(Client(), "with-mfa")
    assert_refused(response, "Your OpenIPS account is linked to a different NHS account")


def test_an_address_the_provider_has_not_verified_does_not_match(esme: User, sso: Provider) -> None:
    response = sso_sign_in(Client(), "unverified-email")
    assert_refused(response, "There is no OpenIPS account for your NHS account")
    assert not ProviderIdentity.objects.exists()


def test_cancelling_at_the_provider_is_explained(esme: User, sso: Provider) -> None:
    client = Client()
    redirect = client.get(START)
    response = client.get(cancel_at_provider(redirect["Location"]))
    assert_refused(response, "You did not finish signing in with your NHS account")
    assert failures()[0].changes["reason"] == "provider_declined"


def test_a_callback_this_browser_did_not_start_is_refused(esme: User, sso: Provider) -> None:
    redirect = Client().get(START)
    callback = sign_in_at_provider(redirect["Location"], "with-mfa")
    response = Client().get(callback)  # another browser: no state in its session
    assert_refused(response, "Your sign-in timed out")
    forged = Client()
    forged.get(START)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    response = forged.get(CALLBACK, {"code": code, "state": "forged"})
    assert_refused(response, "Your sign-in timed out")


def test_a_provider_that_does_not_answer_is_explained(
    esme: User, sso: Provider, settings: Any
) -> None:
    client = Client()
    redirect = client.get(START)
    callback = sign_in_at_provider(redirect["Location"], "with-mfa")
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    assert_refused(client.get(callback), "The NHS account sign-in service is not answering")


def test_claims_from_the_userinfo_endpoint_are_used_when_it_is_configured(
    esme: User, sso: Provider, settings: Any
) -> None:
    settings.OIDC_OP_USER_ENDPOINT = sso.metadata["userinfo_endpoint"]
    client = Client()
    assert sso_sign_in(client, "with-mfa").status_code == 302
    assert client.get("/").wsgi_request.user == esme


def test_the_backend_answers_only_the_callback(sso: Provider) -> None:
    """A password form posted with ?code=…&state=… must not start a token exchange."""
    request = RequestFactory().post("/sign-in/?code=stolen&state=any")
    assert NHSIdentityBackend().authenticate(request, username="x", password="y") is None


@pytest.mark.parametrize(
    ("claims", "asserted"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["otp"]}, False),  # one factor: an emailed or texted code
        ({"amr": "mfa"}, True),
        ({"amr": ["pwd"]}, False),
        ({}, False),
        ({"amr": {"mfa": 1}}, False),
        ({"acr": "AAL3_ANY"}, True),
        ({"acr": "AAL1_USERPASS"}, False),
    ],
)
def test_the_second_factor_rule(settings: Any, claims: dict[str, Any], asserted: bool) -> None:
    settings.OIDC_SECOND_FACTOR_ACR = ["AAL3_ANY"]  # the AMR methods are the default's
    assert provider_second_factor(claims) is asserted


@pytest.mark.parametrize(("verified", "authoritative"), [(None, False), ("true", False)])
def test_an_email_the_provider_has_not_verified_matches_no_account(
    esme: User, settings: Any, verified: Any, authoritative: bool
) -> None:
    settings.OIDC_EMAIL_IS_AUTHORITATIVE = authoritative
    claims = {"email": esme.email, "email_verified": verified}
    with pytest.raises(SignInRefused):
        _link_first_sign_in(claims, "https://idp.example", "sub-x")
    settings.OIDC_EMAIL_IS_AUTHORITATIVE = True  # Entra ID's directory: its addresses stand
    assert _link_first_sign_in(claims, "https://idp.example", "sub-x").user == esme


def test_after_a_single_sign_on_a_password_sign_in_still_sets_up_an_authenticator(
    esme: User, sso: Provider
) -> None:
    """The provider's identity is a django-otp device, but it gives no codes: someone with no
    authenticator app who signs in by password is sent to set one up, not to enter a code."""
    sso_sign_in(Client(), "with-mfa")
    client = Client()
    client.post(SIGN_IN, {"username": esme.username, "password": PASSWORD})
    assert client.get("/clients/")["Location"] == "/two-factor/set-up/"
    started = AuditEvent.objects.filter(action=AuditAction.AWAITING_SECOND_FACTOR, actor=esme)
    assert started.latest("pk").changes == {"method": "password"}


def test_someone_waiting_for_a_security_code_can_use_the_providers_second_factor(
    esme: User, sso: Provider
) -> None:
    client = Client()
    client.post(SIGN_IN, {"username": esme.username, "password": PASSWORD})
    assert client.get("/clients/")["Location"] == "/two-factor/set-up/"
    assert sso_sign_in(client, "with-mfa").status_code == 302
    assert client.get("/clients/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(esme: User, sso: Provider) -> None:
    response = sso_sign_in(Client(), "with-mfa", next="https://elsewhere.example/")
    assert response["Location"] == "/"


def test_a_link_to_the_callback_from_elsewhere_does_not_sign_anyone_out(
    esme: User, sso: Provider
) -> None:
    client = Client()
    client.force_login(esme, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/sso/callback/?error=access_denied&state=forged")
    assert response.status_code == 403
    assert client.get("/").wsgi_request.user == esme
