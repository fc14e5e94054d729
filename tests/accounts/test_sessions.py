"""How long a session lasts whatever its activity, and that nothing personal is cached."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from tests.conftest import PASSWORD, World, signed_in

NO_STORE = "no-store, private"


def test_a_session_ends_twelve_hours_after_sign_in_however_active(world: World) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.post(reverse("accounts:sign_in"), {"username": "leader", "password": PASSWORD})
        for _ in range(35):  # a request every 20 minutes: never idle for 30
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=20))  # 12 hours since sign-in
        response = client.get("/clients/")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:sign_in") + "?next=/clients/"
        page = client.get(response["Location"]).content.decode()
        assert "signed in more than 12 hours ago" in page
        assert client.get("/").status_code == 302  # signed out for good, not just redirected

        # Signing in again starts a new 12 hours.
        client.post(reverse("accounts:sign_in"), {"username": "leader", "password": PASSWORD})
        assert client.get("/clients/").status_code == 200


def test_the_absolute_lifetime_is_a_setting(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_ABSOLUTE_SECONDS = 20 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(world.users[Role.TEAM_LEADER])
        clock.shift(timedelta(minutes=19))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=1))
        assert client.get("/").status_code == 302


def test_a_persons_record_an_export_and_an_api_read_are_never_cached(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    record = manager.get(reverse("record:person", args=[world.person_a.pk]))
    assert record.status_code == 200 and record["Cache-Control"] == NO_STORE
    export = manager.get(
        reverse("interchange:export", kwargs={"pk": world.service_a.pk, "format": "zip"})
    )
    assert export.status_code == 200 and export["Cache-Control"] == NO_STORE
    _, token = create_token(world.users[Role.SERVICE_MANAGER], "reads")
    episode = world.episode(world.person_a)
    api = Client().get(
        reverse("api:episode", kwargs={"pk": episode.pk}), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert api.status_code == 200 and api["Cache-Control"] == NO_STORE
    refused = Client().get(reverse("api:episodes"))
    assert refused.status_code == 401 and refused["Cache-Control"] == NO_STORE
    not_found = manager.get(reverse("record:person", args=[world.person_b.pk]))
    assert not_found.status_code == 404 and not_found["Cache-Control"] == NO_STORE


def test_static_files_and_public_pages_keep_their_caching(world: World) -> None:
    css = Client().get("/static/openips/openips.css")
    assert css.status_code == 200 and "no-store" not in css.get("Cache-Control", "")
    assert "no-store" not in Client().get(reverse("core:accessibility")).get("Cache-Control", "")
