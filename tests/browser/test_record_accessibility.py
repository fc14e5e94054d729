"""The record and the subject access document with everything on them (notes, a profile, a job,
prompts, appointments and messages, who looked) pass axe, and the document prints without the
service's header."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from openips.accounts.roles import Role
from openips.messaging import reminders
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World
from tests.governance.test_subject_access_page import a_full_record
from tests.messaging.conftest import plan, reachable


def test_a_full_record_and_its_subject_access_pass_axe(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    a_full_record(world)
    reachable(world.person_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    plan(world.episode(world.person_a), tomorrow)
    plan(world.episode(world.person_a), timezone.localdate(), mode="phone", place="")
    reminders.send_reminders(tomorrow)  # logged: no Notify in the tests
    record = live_server.url + reverse("record:person", args=[world.person_a.pk])
    for role in (Role.EMPLOYMENT_SPECIALIST, Role.CLINICIAN):
        page = sign_in_as(world.users[role])
        page.goto(record)
        expect(page.get_by_text("Work now")).to_be_visible()
        if role == Role.EMPLOYMENT_SPECIALIST:
            expect(page.get_by_role("heading", name="Upcoming appointments")).to_be_visible()
            expect(page.get_by_text("Record what happened")).to_be_visible()
            logged = "Logged, not sent (no GOV.UK Notify key is set)"
            expect(page.get_by_role("cell", name=logged, exact=True)).to_be_visible()
        assert_accessible(page)
    page = sign_in_as(world.users[Role.IG_LEAD])
    page.goto(live_server.url + reverse("governance:subject_access", args=[world.person_a.pk]))
    expect(
        page.get_by_role("heading", name="Who has looked at or changed your record")
    ).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.get_by_text("Download it all as a file (JSON)")).to_be_hidden()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
