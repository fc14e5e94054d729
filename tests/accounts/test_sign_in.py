from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World, signed_in

SIGN_IN = "/sign-in/"


def sign_in(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_a_correct_sign_in_reaches_the_home_page(world: World) -> None:
    client = Client()
    response = sign_in(client, "specialist", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Service A" in client.get("/").content.decode()


def test_a_wrong_password_shows_the_error_summary(world: World) -> None:
    response = sign_in(Client(), "specialist", "not it")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    assert page.count("<title>Error: ") == 1


def test_five_failures_lock_the_account_and_a_sixth_correct_attempt_is_refused(
    world: World,
) -> None:
    client = Client()
    for _ in range(4):
        assert sign_in(client, "specialist", "wrong password").status_code == 200
    # The fifth failure locks the account, and says so.
    assert sign_in(client, "specialist", "wrong password").status_code == 403
    response = sign_in(client, "specialist", PASSWORD)
    assert response.status_code == 403
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Locked from another browser and address too: the lock is on the account.
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="Other/2.0")
    assert sign_in(other, "specialist", PASSWORD).status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, actor_label="specialist"
    ).exists()


def test_four_failures_do_not_lock(world: World) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, "specialist", "wrong password")
    assert sign_in(client, "specialist", PASSWORD).status_code == 302


def test_sign_out_ends_the_session(world: World) -> None:
    client = signed_in(world.users[Role.TEAM_LEADER])
    assert client.get("/").status_code == 200
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert client.get("/").status_code == 302


def test_sign_out_is_post_only(world: World) -> None:
    assert (
        signed_in(world.users[Role.TEAM_LEADER]).get(reverse("accounts:sign_out")).status_code
        == 405
    )


def test_thirty_idle_minutes_end_the_session(world: World) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        sign_in(client, "specialist", PASSWORD)
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity pushes the expiry on
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


@pytest.fixture
def two_factor_required(settings):  # type: ignore[no-untyped-def]
    settings.OTP_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factor_set_up_then_sign_in_needs_a_code(
    world: World, two_factor_required: None
) -> None:
    client = Client()
    sign_in(client, "specialist", PASSWORD)
    response = client.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert "Enter this key" in client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=world.users[Role.EMPLOYMENT_SPECIALIST])

    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "12345x"})
    assert "Security code must be 6 digits" in wrong.content.decode()
    assert (
        client.post(reverse("accounts:two_factor_setup"), {"token": code_for(device)}).status_code
        == 302
    )
    assert client.get("/clients/").status_code == 200

    # Next time: password, then the code from the confirmed device.
    later = Client()
    sign_in(later, "specialist", PASSWORD)
    assert later.get("/").headers["Location"] == reverse("accounts:two_factor_verify")
    device.refresh_from_db()
    device.last_t = -1  # the same code may not be used twice; this is a new time step in practice
    device.save()
    assert (
        later.post(reverse("accounts:two_factor_verify"), {"token": code_for(device)}).status_code
        == 302
    )
    assert later.get("/").status_code == 200


def test_a_wrong_two_factor_code_is_refused(world: World, two_factor_required: None) -> None:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "specialist", PASSWORD)
    page = client.post(reverse("accounts:two_factor_verify"), {"token": "000000"}).content.decode()
    assert "The security code is not right" in page
    assert client.get("/").status_code == 302
