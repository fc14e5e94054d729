"""The Talking Therapies employment record page, empty, with its error summary and saved,
passes axe; the record links to it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.roles import Role
from openips.employment.models import EmploymentRecord
from openips.organisations.models import ServiceProgramme
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World
from tests.employment.test_employment_records import SINCE


def test_recording_an_assessment_in_the_browser(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    ServiceProgramme.objects.create(
        service=world.service_a, programme="talking_therapies_employment", valid_from=SINCE
    )
    page = sign_in_as(world.users[Role.EMPLOYMENT_SPECIALIST])
    page.goto(live_server.url + reverse("record:person", args=[world.person_a.pk]))
    page.get_by_role("link", name="Assessment employment record of episode A001-1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
    assert_accessible(page)

    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Employed", exact=True).check()
    page.get_by_label("Not applicable (PERSON not employed)").check()  # contradicts "Employed"
    page.get_by_role("button", name="Save assessment record").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("not applicable is only for someone not employed")
    assert_accessible(page)

    page.get_by_label("16-29 hours").check()
    for question in ("Are they self-employed?", "Are they off work sick?"):
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    for question in (
        "Are they getting Statutory Sick Pay?",
        "Do they receive any benefits?",
        "Do they receive Employment and Support Allowance (ESA)?",
        "Do they receive Universal Credit?",
        "Do they receive Personal Independence Payment (PIP)?",
    ):
        page.get_by_role("group", name=question).get_by_label("Not known").check()
    page.get_by_label("Not Applicable", exact=True).check()
    page.get_by_role("button", name="Save assessment record").click()
    expect(page.get_by_text("Assessment employment record saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("(recorded 3 February 2025)")
    assert_accessible(page)
    assert EmploymentRecord.objects.get().weekly_hours == "02"
