"""A fidelity review from planned to published, with two reviewers who disagree on an item."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from openips.accounts.roles import Role
from openips.fidelity.models import Review, ReviewStatus
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journey import fill_date
from tests.conftest import World, make_user

RAPID = "15. Rapid job search"


def rate_everything(page: Page, live_server: Any, item_15: str) -> None:
    page.goto(live_server.url + reverse("fidelity:index"))
    page.get_by_role("link", name="Service A", exact=True).click()
    page.get_by_role("button", name="Rate the items").click()
    for number in range(1, 26):
        group = page.get_by_role("group").filter(has_text=f"{number}. ").first
        value = item_15 if number == 15 else "3"
        group.get_by_label(value, exact=True).check()
    page.get_by_label("Evidence for item 15").fill("Employer contacts start within weeks")
    expect(page.get_by_role("button", name="Save my ratings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save my ratings").click()
    expect(page.get_by_text("Your ratings are saved.")).to_be_visible()


def test_a_review_from_planned_to_published(
    world: World, live_server: Any, sign_in_as: Any
) -> None:
    second = make_user("reviewer2", Role.FIDELITY_REVIEWER)
    first = world.users[Role.FIDELITY_REVIEWER]
    first.first_name, first.last_name = "Rhea", "One"
    first.save()
    soon = timezone.localdate() + timedelta(days=7)

    page = sign_in_as(world.users[Role.TEAM_LEADER])
    page.goto(live_server.url + reverse("fidelity:index"))
    page.get_by_role("button", name="Plan a review").click()
    page.get_by_label("Service", exact=True).select_option(label="Service A")
    page.get_by_label("External review").check()
    fill_date(page, "First day of the review visit", soon)
    fill_date(page, "Last day of the review visit", soon + timedelta(days=1))
    page.get_by_label("Rhea One (Fidelity reviewer)").check()
    page.get_by_label("Reviewer2 (Fidelity reviewer)").check()
    expect(page.get_by_role("button", name="Plan the review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Plan the review").click()
    expect(page.get_by_text("Review planned.")).to_be_visible()
    review = Review.objects.get()
    assert review.status == ReviewStatus.PLANNED

    page = sign_in_as(first)
    rate_everything(page, live_server, item_15="4")
    expect(page.get_by_text("Reviewers rate on their own")).to_have_count(1)

    page = sign_in_as(second)
    rate_everything(page, live_server, item_15="2")
    expect(page.get_by_text("The reviewers differ on 1 item: 15")).to_have_count(1)
    expect(page.get_by_role("row", name=RAPID).get_by_text("Reviewers differ")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("button", name="Agree the ratings").click()
    page.get_by_role("button", name="Save the agreed ratings").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_text("Select the agreed rating for item 15")).to_have_count(1)
    expect(summary.get_by_text("Enter why you agreed this rating for item 15")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("group", name=RAPID).get_by_label("3", exact=True).check()
    page.get_by_label("Why this rating for item 15").fill(
        "Contacts start fast; not always face to face"
    )
    page.get_by_role("button", name="Save the agreed ratings").click()
    expect(page.get_by_text("The agreed ratings are saved.")).to_be_visible()
    expect(page.get_by_text("75 of 125: Fair fidelity")).to_have_count(1)

    page.get_by_role("button", name="Publish the review").click()
    expect(page.get_by_text("The review is published.")).to_be_visible()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    page.get_by_role("link", name="Printable report").click()
    # The review's page has both texts too: wait for the report itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Fidelity review report")
    expect(page.get_by_text("Total 75 of 125")).to_have_count(1)
    expect(page.get_by_text("Contacts start fast; not always face to face")).to_have_count(1)
    assert_accessible(page)
