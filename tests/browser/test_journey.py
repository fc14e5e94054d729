"""One person's journey through IPS, entered in the browser as an employment specialist would:
referral → acceptance → vocational profile → employer contacts → confirmed job start →
in-work support → the 13-week anniversary prompt."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from openips.accounts.roles import Role
from openips.core.formatting import format_date
from openips.demo.nhs_numbers import synthetic_nhs_number
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def record_contact(page: Page, day: date, *, employer: bool, purpose: str) -> None:
    page.get_by_role("link", name="Record a contact").click()
    fill_date(page, "Date of the contact", day)
    if employer:
        page.get_by_role("radio", name="Employer", exact=True).check()
        page.get_by_role("combobox", name="Employer").select_option(label="Employer A")
        page.get_by_role(
            "group", name="Employer contacts: does the job match their preferences?"
        ).get_by_label("Yes").check()
    else:
        page.get_by_role("radio", name="Client", exact=True).check()
    page.get_by_role("radio", name="Face to face").check()
    page.get_by_role("combobox", name="Where (face-to-face contacts)").select_option(
        label="In the community"
    )
    page.get_by_label("Minutes").fill("45")
    page.get_by_role("radio", name=purpose, exact=True).check()
    page.get_by_role("group", name="Did it happen?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("main")).to_contain_text("Contact recorded", use_inner_text=True)


def test_a_journey_from_referral_to_a_13_week_anniversary(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    today = timezone.localdate()
    referred, start = today - timedelta(days=130), today - timedelta(days=85)
    page = sign_in_as(world.users[Role.EMPLOYMENT_SPECIALIST])

    page.goto(live_server.url + reverse("clients:list"))
    page.get_by_role("button", name="Add a referral").click()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Mendes")
    nhs = synthetic_nhs_number(random.Random(7))  # noqa: S311  (synthetic data)
    page.get_by_label("NHS number (optional)").fill(nhs)
    fill_date(page, "Referral date", referred)
    page.get_by_label("Primary care or GP").check()
    page.get_by_label("Unemployed").check()
    expect(page.get_by_role("button", name="Add referral")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add referral").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("Rosa Mendes$"), use_inner_text=True)

    page.get_by_role("link", name="Accept onto the caseload").click()
    fill_date(page, "Date accepted", referred + timedelta(days=2))
    page.get_by_label("Employment specialist").select_option(label="Esme A")
    page.get_by_role("button", name="Accept").click()

    page.get_by_role("link", name="Start the vocational profile").click()
    fill_date(page, "Date the vocational profile was started", referred + timedelta(days=5))
    page.get_by_label("Types of job wanted").fill("Outdoor work, gardening")
    page.get_by_role("button", name="Save profile").click()

    record_contact(page, referred + timedelta(days=9), employer=True, purpose="Job development")
    record_contact(page, referred + timedelta(days=16), employer=True, purpose="Job development")
    record_contact(page, start - timedelta(days=10), employer=False, purpose="Benefits counselling")

    page.get_by_role("link", name="Record a job").click()
    page.get_by_label("Job title").fill("Gardener")
    page.get_by_role("combobox", name="Employer").select_option(label="Employer A")
    fill_date(page, "First day of work", start)
    page.get_by_role("group", name="Have they worked 4 paid hours?").get_by_label("Yes").check()
    page.get_by_label("Hours a week").fill("16")
    page.get_by_role("group", name="Is it a competitive job?").get_by_label("Yes").check()
    expect(page.get_by_role("button", name="Save job")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save job").click()

    for days in (2, 8, 15, 22, 50, 78):
        record_contact(
            page, start + timedelta(days=days), employer=False, purpose="In-work support"
        )

    timeline = page.locator("main")
    for entry in (
        "Referred",
        "Accepted onto the caseload",
        "Vocational profile started",
        "Job development: Employer A",
        "Started work: Gardener at Employer A",
        "In-work support: Client",
    ):
        expect(timeline, entry).to_contain_text(entry, use_inner_text=True)
    assert_accessible(page)

    page.get_by_role("link", name="Caseload").first.click()
    expect(page).to_have_url(live_server.url + reverse("casework:caseload"))
    # The footer follows the caseload: once it is there, what the row lacks is truly absent.
    expect(page.locator("footer")).to_be_attached()
    row = page.get_by_role("row").filter(has_text="Rosa Mendes")
    anniversary = start + timedelta(days=91)
    prompt = f"13-week job anniversary on {format_date(anniversary)}"
    expect(row).to_contain_text(prompt, use_inner_text=True)
    expect(row).to_contain_text("In work", use_inner_text=True)
    expect(row).not_to_contain_text("No benefits counselling", use_inner_text=True)
    assert_accessible(page)
