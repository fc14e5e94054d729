"""The estimate in the client record: worked out on the page, saved as a benefits counselling
session on the episode, opened again for printing; bad input and missing rates refused with
nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.benefits.models import Estimate
from openips.casework.models import Contact
from tests.benefits.factories import SCENARIO
from tests.clients.test_journey import date_fields
from tests.conftest import World, signed_in


@pytest.fixture
def specialist(world: World) -> Any:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=user)  # the session is their work
    return signed_in(user)


def url(world: World) -> str:
    return reverse("benefits:estimate", args=[world.episode(world.person_a).pk])


def session_fields(**extra: str) -> dict[str, str]:
    return {
        "save": "1",
        **{f"session-{k}": v for k, v in date_fields("date", timezone.localdate()).items()},
        "session-mode": "face_to_face",
        "session-minutes": "40",
        **extra,
    }


def test_the_record_links_to_the_estimate(world: World, specialist: Any) -> None:
    page = specialist.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert url(world) in page


def test_working_it_out_shows_the_comparison_and_saves_nothing(
    world: World, specialist: Any
) -> None:
    page = specialist.get(url(world)).content.decode()
    assert "2026/27 rates not yet confirmed" in page  # says which figures it lacks
    response = specialist.post(url(world), {**SCENARIO, "calculate": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "£607.00 a month better off in work" in page  # hand-worked in test_calculator
    assert "£1,323.41" in page and "£1,930.41" in page
    assert "(£846.56 − £411.00) × 55% = £239.56" in page  # the arithmetic, shown
    assert "This is an estimate" in page and "2025/26 rates" in page
    assert '<svg class="app-chart__svg app-bars"' in page
    assert "Save the session and estimate" in page
    assert not Contact.objects.filter(purpose="benefits_counselling").exists()


def test_saving_records_a_benefits_counselling_session_on_the_episode(
    world: World, specialist: Any
) -> None:
    episode = world.episode(world.person_a)
    response = specialist.post(url(world), {**SCENARIO, **session_fields()})
    estimate = Estimate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:saved", args=[estimate.pk])
    contact = estimate.contact
    assert (contact.episode, contact.purpose, contact.contact_with) == (
        episode,
        "benefits_counselling",
        "client",
    )
    assert (contact.date, contact.mode, contact.minutes) == (
        timezone.localdate(),
        "face_to_face",
        40,
    )
    assert (str(estimate.income_now), str(estimate.income_in_work)) == ("1323.41", "1930.41")
    assert estimate.scenario["hours_in_work"] == "16"
    created = set(
        AuditEvent.objects.filter(action=AuditAction.CREATE).values_list("object_type", flat=True)
    )
    assert {"casework.contact", "benefits.estimate"} <= created

    page = specialist.get(response["Location"]).content.decode()
    assert "Better off in work: your estimate" in page
    assert "£607.00 a month better off in work" in page
    assert 'data-module="app-print"' in page
    assert "app-printable" in page
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="benefits.estimate")
    assert viewed.get().person_id == world.person_a.pk
    record = specialist.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Benefits counselling" in record


def test_bad_input_is_listed_and_nothing_is_saved(world: World, specialist: Any) -> None:
    data = {**SCENARIO, **session_fields(), "hours_in_work": "", "pay_in_work": "12.215"}
    data["household"] = "couple"
    page = specialist.post(url(world), data).content.decode()
    assert page.count("nhsuk-error-summary__list") == 1
    assert "Enter the hours a week in the new job" in page
    assert "Pay per hour in the new job must have no more than 2 decimal places" in page
    assert "Enter the partner&#39;s age" in page
    assert (
        not Estimate.objects.exists()
        and not Contact.objects.filter(purpose="benefits_counselling").exists()
    )


def test_a_future_session_date_is_refused_and_nothing_is_saved(
    world: World, specialist: Any
) -> None:
    tomorrow = timezone.localdate().toordinal() + 1
    future = date_fields("session-date", timezone.localdate().fromordinal(tomorrow))
    page = specialist.post(url(world), {**SCENARIO, **session_fields(), **future}).content.decode()
    assert "nhsuk-error-summary" in page
    assert not Estimate.objects.exists()


@pytest.mark.parametrize(
    ("tax_year", "message"),
    [
        ("2026/27", "The 2026/27 rates do not include a confirmed Universal Credit work allowance"),
        ("2027/28", "There are no rates for 2027/28"),  # not offered: only the years held are
    ],
)
def test_a_year_without_the_rates_is_refused_with_a_clear_message(
    world: World, specialist: Any, tax_year: str, message: str
) -> None:
    data = {**SCENARIO, **session_fields(), "tax_year": tax_year}
    page = specialist.post(url(world), data).content.decode()
    assert "nhsuk-error-summary" in page
    assert message in page
    assert not Estimate.objects.exists()
