from __future__ import annotations

from datetime import date

from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.casework.week import week_of
from tests.conftest import World, signed_in


def test_a_week_runs_monday_to_sunday() -> None:
    assert week_of(date(2026, 11, 22)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert week_of(date(2026, 11, 23)) == (date(2026, 11, 23), date(2026, 11, 29))


def test_recording_a_general_employer_contact_counts_towards_the_weekly_target(
    world: World,
) -> None:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("casework:my_week")
    form = {
        "date_day": "3",
        "date_month": "11",
        "date_year": "2026",
        "employer": world.employers["a"].pk,
        "mode": "face_to_face",
        "minutes": "40",
        "attended": "yes",
    }
    response = client.post(url, form)
    assert response["Location"] == f"{url}?week=2026-11-03"
    contact = Contact.objects.get(contact_id__startswith="W")  # recorded here, not the world's
    assert (contact.episode, contact.setting, contact.purpose) == (
        None,
        "community",
        "job_development",
    )

    page = client.get(url, {"week": "2026-11-04"}).content.decode()
    assert "2 November 2026 to 8 November 2026" in page
    assert "Esme A (you)" in page and "Employer A" in page
    assert ">1<" in page.replace(" ", "").replace("\n", "")


def test_an_employer_contact_with_errors_is_not_saved(world: World) -> None:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    page = client.post(
        reverse("casework:my_week"), {"mode": "phone", "attended": "yes"}
    ).content.decode()
    assert "Enter the date of the contact" in page and "Select the employer" in page
    assert not Contact.objects.filter(contact_id__startswith="W").exists()


def test_an_employer_from_another_service_cannot_be_chosen(world: World) -> None:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    form = {
        "date_day": "3",
        "date_month": "11",
        "date_year": "2026",
        "employer": world.employers["b"].pk,
        "mode": "face_to_face",
        "attended": "yes",
    }
    page = client.post(reverse("casework:my_week"), form).content.decode()
    assert "Select an employer from the list" in page
    assert not Contact.objects.filter(contact_id__startswith="W").exists()
