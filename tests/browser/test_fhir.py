"""A referral sent by a clinical system over FHIR, accepted by the employment specialist on the
record page in the browser, reads back as an accepted Task."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.clients.models import Episode
from tests.browser.test_journey import fill_date
from tests.conftest import World
from tests.fhir.conftest import BASE, Fhir, referral


def test_a_referral_sent_over_fhir_is_accepted_in_the_browser(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    specialist = world.users[Role.EMPLOYMENT_SPECIALIST]
    fhir = Fhir(live_server.url + BASE, create_token(specialist, "clinical system")[1])
    sent = fhir.client.resource(
        "ServiceRequest", **referral().model_dump(mode="json", exclude_none=True)
    )
    sent.save()
    episode = Episode.objects.get(pk=sent["id"])
    assert fhir.read("Task", episode.pk)["status"] == "requested"

    page = sign_in_as(specialist)
    page.goto(live_server.url + reverse("record:person", args=[episode.person_id]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Okafor")
    page.get_by_role("link", name="Accept onto the caseload").click()
    fill_date(page, "Date accepted", date(2026, 1, 12))
    page.get_by_label("Employment specialist").select_option(label="Esme A")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted onto the caseload.")).to_be_visible()

    task = fhir.read("Task", episode.pk)
    assert task["status"] == "accepted"
    assert task["lastModified"] == task["executionPeriod"]["start"] == "2026-01-12"
    assert fhir.read("EpisodeOfCare", episode.pk)["careManager"] == {"display": "Esme A"}
