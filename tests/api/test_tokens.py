from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.models import ApiToken
from openips.accounts.roles import Role
from openips.accounts.tokens import create_token, revoke_token
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import World


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_reads_only_its_owners_scope_and_stops_when_revoked(world: World) -> None:
    api_token, token = create_token(world.users[Role.EMPLOYMENT_SPECIALIST], "laptop")
    assert api_token.token_hash != token and token not in api_token.token_hash
    client = Client()
    listing = client.get(reverse("api:episodes"), **bearer(token)).json()
    assert [e["episode_id"] for e in listing["items"]] == ["A001-1"]
    episode_b = world.episode(world.person_b)
    assert (
        client.get(reverse("api:episode", kwargs={"pk": episode_b.pk}), **bearer(token)).status_code
        == 404
    )
    one = client.get(
        reverse("api:episode", kwargs={"pk": world.episode(world.person_a).pk}), **bearer(token)
    )
    assert one.json()["client_id"] == "A001"
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, person_id=world.person_a.pk).exists()
    revoke_token(world.users[Role.EMPLOYMENT_SPECIALIST], api_token)
    assert client.get(reverse("api:episodes"), **bearer(token)).status_code == 401


def test_every_object_of_another_service_is_404_through_the_api(world: World) -> None:
    token = create_token(world.users[Role.TEAM_LEADER], "t")[1]
    client = Client()
    for name, obj in (
        ("api:episode", world.episode(world.person_b)),
        ("api:job", world.jobs["b"]),
        ("api:contact", world.contacts["b"]),
        ("api:employer", world.employers["b"]),
        ("api:staff", world.service_b.staff.get()),
    ):
        assert (
            client.get(reverse(name, kwargs={"pk": obj.pk}), **bearer(token)).status_code == 404
        ), name


def test_an_anonymous_or_wrong_token_caller_gets_401(world: World) -> None:
    assert Client().get(reverse("api:episodes")).status_code == 401
    assert (
        Client().get(reverse("api:episodes"), **bearer("oips_not-a-real-token")).status_code == 401
    )
    assert ApiToken.objects.count() == 0


def test_a_user_creates_a_token_on_their_own_page_and_sees_it_once(world: World) -> None:
    from tests.conftest import signed_in

    client = signed_in(world.users[Role.SERVICE_MANAGER])
    page = client.post(reverse("accounts:account"), {"name": "Quarterly return"}).content.decode()
    api_token = ApiToken.objects.get(user=world.users[Role.SERVICE_MANAGER])
    shown = page.split('<code class="app-secret">')[1].split("</code>")[0]
    assert shown.startswith(api_token.prefix) and len(shown) > 40
    assert Client().get(reverse("api:episodes"), **bearer(shown)).status_code == 200
    again = client.get(reverse("accounts:account")).content.decode()
    assert shown not in again and "Quarterly return" in again
    page = client.post(reverse("accounts:account"), {"name": ""}).content.decode()
    assert "Enter what the token is for" in page


def test_a_token_expires_after_the_days_chosen_and_the_api_says_so(world: World) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api_token, token = create_token(world.users[Role.TEAM_LEADER], "weekly report", days=7)
        assert api_token.expires_at == timezone.now() + timedelta(days=7)
        clock.shift(timedelta(days=7) - timedelta(seconds=1))
        assert Client().get(reverse("api:episodes"), **bearer(token)).status_code == 200
        clock.shift(timedelta(seconds=1))
        response = Client().get(reverse("api:episodes"), **bearer(token))
        assert response.status_code == 401
        detail = response.json()["detail"]
        assert detail.startswith("This API token expired on ")
        assert "Create a new one on your account page" in detail


def test_a_token_lasts_the_default_unless_its_owner_chooses_up_to_the_maximum(
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    from tests.conftest import signed_in

    settings.API_TOKEN_DAYS, settings.API_TOKEN_MAX_DAYS = 90, 365
    client = signed_in(world.users[Role.SERVICE_MANAGER])
    page = client.post(reverse("accounts:account"), {"name": "Too long", "days": "366"})
    assert "A token can last at most 365 days" in page.content.decode()
    assert (
        "Enter the number of days"
        in client.post(
            reverse("accounts:account"), {"name": "Odd", "days": "ninety"}
        ).content.decode()
    )
    assert (
        "at least 1 day"
        in client.post(reverse("accounts:account"), {"name": "None", "days": "0"}).content.decode()
    )
    assert not ApiToken.objects.exists()

    client.post(reverse("accounts:account"), {"name": "Default", "days": ""})
    client.post(reverse("accounts:account"), {"name": "A year", "days": "365"})
    lifetimes = {
        t.name: round((t.expires_at - t.created_at).total_seconds() / 86400)
        for t in ApiToken.objects.all()
    }
    assert lifetimes == {"Default": 90, "A year": 365}
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Expires" in page
    with pytest.raises(ValueError, match="from 1 to 365 days"):
        create_token(world.users[Role.SERVICE_MANAGER], "API", days=400)


def test_the_account_page_shows_an_expired_token_as_expired(world: World) -> None:
    from tests.conftest import signed_in

    create_token(world.users[Role.CLINICIAN], "old laptop", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        page = signed_in(world.users[Role.CLINICIAN]).get(reverse("accounts:account"))
        html = page.content.decode()
        assert "Expired" in html and "Revoke the token for old laptop" not in html
