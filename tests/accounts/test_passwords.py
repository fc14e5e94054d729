"""Changing one's password, and replacing a password an administrator chose before anything else."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from openips.accounts import services
from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World, make_user, signed_in

NEW = "a different long passphrase"
CHANGE = "/account/password/"


def sign_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:sign_in"), {"username": username, "password": password}
    )
    assert response.status_code == 302, "the sign-in should succeed"
    return client


def change(client: Client, old: str, new: str, again: str | None = None) -> str:
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(CHANGE, data).content.decode()


def test_the_account_page_links_to_the_password_change_page(world: World) -> None:
    page = signed_in(world.users[Role.CLINICIAN]).get(reverse("accounts:account")).content.decode()
    assert f'href="{CHANGE}"' in page


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(world: World) -> None:
    client = sign_in("clinician", PASSWORD)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert client.get("/").status_code == 200  # the session carries on
    user = User.objects.get(username="clinician")
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, actor=user).exists()
    sign_in("clinician", NEW)


def test_password_change_mistakes_are_explained_and_nothing_changes(world: World) -> None:
    client = signed_in(world.users[Role.CLINICIAN])
    page = change(client, "not it", NEW)
    assert "There is a problem" in page
    assert "Your current password is not right. Enter it again." in page
    assert 'href="#id_old_password"' in page
    assert "Enter the same new password twice" in change(client, PASSWORD, NEW, "something else")
    assert "too short" in change(client, PASSWORD, "short")
    assert "too common" in change(client, PASSWORD, "password1234")
    assert "Choose a new password, not your current one" in change(client, PASSWORD, PASSWORD)
    assert "Enter your current password" in change(client, "", NEW)
    assert User.objects.get(username="clinician").check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()


def test_a_first_password_must_be_changed_before_anything_else(world: World) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    admin.post(
        reverse("accounts:user_create"),
        {
            "username": "new-commissioner",
            "first_name": "New",
            "last_name": "Commissioner",
            "email": "",
            "password": "a first long passphrase",
            "role": Role.COMMISSIONER,
            "network": world.network.pk,
        },
    )
    client = sign_in("new-commissioner", "a first long passphrase")
    for path in ("/", reverse("accounts:account"), reverse("outcomes:network")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == CHANGE, path
    assert "An administrator set your password" in client.get(CHANGE).content.decode()
    assert client.post(reverse("accounts:sign_out")).status_code == 302  # sign-out still works

    client = sign_in("new-commissioner", "a first long passphrase")
    change(client, "a first long passphrase", NEW)
    assert client.get(reverse("outcomes:network")).status_code == 200
    assert not User.objects.get(username="new-commissioner").must_change_password


def test_an_administrator_resets_a_password_and_the_owner_must_change_it(world: World) -> None:
    clinician = world.users[Role.CLINICIAN]
    _, token = create_token(clinician, "spreadsheet")
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    data = {
        "username": "clinician",
        "first_name": clinician.first_name,
        "last_name": "",
        "email": "",
        "role": Role.CLINICIAN,
        "clinical_team": world.team_a.pk,
        "is_active": "on",
    }
    weak = admin.post(
        reverse("accounts:user_edit", args=[clinician.pk]), data | {"new_password": "short"}
    )
    assert "too short" in weak.content.decode()
    admin.post(
        reverse("accounts:user_edit", args=[clinician.pk]),
        data | {"new_password": "reset long passphrase"},
    )
    clinician.refresh_from_db()
    assert clinician.must_change_password and clinician.check_password("reset long passphrase")
    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_RESET, object_id=str(clinician.pk)
    ).exists()
    # The account opens records, so whoever set the password could sign in as it: it is off
    # until a second administrator switches it back on (ADR 0015).
    assert not clinician.is_active
    services.approve(make_user("admin2", Role.ADMINISTRATOR), clinician.role_grants.get())

    # Until the owner has chosen their own, the account's tokens are refused as well.
    refused = Client().get(reverse("api:episodes"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 401
    assert "change your password" in refused.json()["detail"]
    client = sign_in("clinician", "reset long passphrase")
    assert client.get(reverse("clients:list"))["Location"] == CHANGE
    change(client, "reset long passphrase", NEW)
    assert client.get(reverse("clients:list")).status_code == 200
    ok = Client().get(reverse("api:episodes"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200


def test_an_administrator_does_not_reset_their_own_password_on_the_users_page(
    world: World,
) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    page = signed_in(admin).get(reverse("accounts:user_edit", args=[admin.pk])).content.decode()
    assert 'name="new_password"' not in page
    other = world.users[Role.CLINICIAN]
    page = signed_in(admin).get(reverse("accounts:user_edit", args=[other.pk])).content.decode()
    assert 'name="new_password"' in page
