"""An employment specialist talks a demo client through a better-off-in-work estimate, saves it
as a benefits counselling session and opens it to print; each step passes axe."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from openips.accounts.models import User
from openips.benefits.models import Estimate
from openips.clients.models import Episode
from openips.demo.builder import build
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journey import fill_date


def test_an_estimate_for_a_demo_client_saved_as_a_session(
    live_server: Any, sign_in_as: Any
) -> None:
    build()
    user = User.objects.get(username="demo-es")
    episode = Episode.objects.filter(
        employment_specialist__user=user, accepted_date__isnull=False, discharge_date__isnull=True
    ).first()
    assert episode is not None
    record = live_server.url + reverse("record:person", args=[episode.person_id])
    page = sign_in_as(user)
    page.goto(record)
    page.get_by_role("link", name="Better off in work? Estimate income with benefits").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Better off in work? An estimate")
    assert_accessible(page)

    page.get_by_role("group", name="Rates for the tax year").get_by_label("2025/26").check()
    page.get_by_label("Client's age").fill("34")
    page.get_by_label("Limited capability for work and work-related activity (LCWRA)").check()
    page.get_by_label("Housing costs a month").fill("500")
    page.get_by_label("Hours a week in the new job").fill("16")
    page.get_by_label("Pay per hour in the new job").fill("12.21")
    page.get_by_role("button", name="Work out the estimate").click()
    result = page.get_by_role("heading", name="£607.00 a month better off in work")
    expect(result).to_be_focused()  # the answer is read out first, above the form
    expect(page).to_have_title(re.compile("^£607.00 a month better off in work: "))
    expect(result).to_be_in_viewport()
    box = result.bounding_box()
    assert box is not None and 0 <= box["y"] < 300  # in view, at the top of the window
    expect(page.get_by_role("img", name="Income a month, now and in work")).to_have_count(1)
    assert_accessible(page)

    fill_date(page, "Date of the session", timezone.localdate())
    page.get_by_role("group", name="How").get_by_label("Face to face").check()
    page.get_by_role("button", name="Save the session and estimate").click()
    main = page.locator("main")
    expect(main).to_contain_text("Benefits counselling session saved", use_inner_text=True)
    # The print button is shown by the page's script once it has run.
    expect(page.get_by_role("button", name="Print this estimate")).to_be_visible()
    assert_accessible(page)
    saved = Estimate.objects.get(episode=episode)
    assert saved.contact.purpose == "benefits_counselling"

    page.get_by_role("link", name="Back to").click()
    # The saved page says "Benefits counselling" too: wait for the record before reading it.
    expect(page).to_have_url(record)
    expect(main).to_contain_text("Benefits counselling", use_inner_text=True)
