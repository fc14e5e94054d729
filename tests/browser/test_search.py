"""An employment specialist finds a client from the header's search box on the demo data: by
part of their name, then by NHS number, reaches their record and reads there the notes of the
contact they have just recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.models import User
from openips.clients.models import Episode, Person
from openips.clients.presenters import format_nhs_number
from openips.demo.builder import build
from tests.browser.test_accessibility import assert_accessible


def test_a_specialist_finds_a_client_by_name_then_nhs_number(
    live_server: Any, sign_in_as: Any
) -> None:
    build()
    specialist = User.objects.get(username="demo-es")
    open_and_theirs = Episode.objects.filter(
        employment_specialist__user=specialist,
        accepted_date__isnull=False,
        discharge_date__isnull=True,
    )
    person = (
        Person.objects.visible_to(specialist)
        .exclude(nhs_number="")
        .filter(pk__in=open_and_theirs.values("person_id"))
        .order_by("client_id")
        .first()
    )
    assert person is not None
    page = sign_in_as(specialist)
    page.goto(live_server.url + reverse("accounts:home"))

    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill(f"{person.given_name[:2].lower()} {person.family_name[:3].upper()}")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_role("row").filter(has_text=person.client_id)).to_be_visible()
    assert_accessible(page)

    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill(format_nhs_number(person.nhs_number))
    page.get_by_role("search").get_by_role("button", name="Search clients").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=format_nhs_number(person.nhs_number))
    row.get_by_role("link", name=str(person)).click()
    expect(page).to_have_url(live_server.url + reverse("record:person", args=[person.pk]))
    expect(page.get_by_role("main")).to_contain_text(person.client_id)

    # Record a contact with notes, and read them on the record's timeline.
    page.get_by_role("link", name="Record a contact").first.click()
    today = date.today()  # noqa: DTZ011 (the live server's day)
    group = page.get_by_role("group", name="Date of the contact")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_role("radio", name="Client", exact=True).check()
    page.get_by_role("radio", name="Phone", exact=True).check()
    page.get_by_role("radio", name="Engagement", exact=True).check()
    page.get_by_role("group", name="Did it happen?").get_by_label("Yes").check()
    page.get_by_label("Notes").fill("Talked about the café job.\nWill call back on Friday.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("main")).to_contain_text("Contact recorded")
    expect(page).to_have_url(live_server.url + reverse("record:person", args=[person.pk]))
    note = page.get_by_role("row").filter(has_text="Talked about the café job.")
    expect(note).to_contain_text("Will call back on Friday.")
    expect(note).to_contain_text("Recorded by")
