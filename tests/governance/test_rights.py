from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.casework.models import Contact, Intervention
from openips.clients.models import Episode, Person
from openips.employment.models import JobChange
from openips.governance.rights import everything_held
from tests.benefits.factories import make_estimate
from tests.conftest import World, signed_in

CONTACT_DETAILS = {
    "phone": "0113 496 0000",
    "email": "sam@example.com",
    "address": "12 High Street, Leeds",
    "postcode": "LS1 4AP",
    "preferred_contact": "text_message",
    "message_consent": True,
}


def test_subject_access_includes_contact_details(world: World) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(**CONTACT_DETAILS)
    person = Person.objects.get(pk=world.person_a.pk)
    Person.objects.create(
        service=world.service_a, client_id="A001-OLD", phone="0800 000 0000", merged_into=person
    )
    bundle = everything_held(world.users[Role.IG_LEAD], person)
    assert {k: bundle["person"][k] for k in CONTACT_DETAILS} == CONTACT_DETAILS
    assert [(r["client_id"], r["phone"]) for r in bundle["merged_records"]] == [
        ("A001-OLD", "0800 000 0000")
    ]
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:subject_access", args=[person.pk])
    )
    assert "Record A001-OLD, merged into this one" in page.content.decode()


def test_subject_access_gives_everything_held_as_a_page_and_a_file(world: World) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    Contact.objects.create(
        service=world.service_a,
        contact_id="C1",
        date=date(2025, 2, 1),
        staff=es,
        contact_with="client",
        episode=world.episode(world.person_a),
        mode="phone",
        purpose="engagement",
        notes="Talked about gardening",
    )
    JobChange.objects.create(
        job=world.jobs["a"],
        effective_date=date(2025, 4, 1),
        hours_per_week=Decimal("20"),
        start_confirmed=True,
    )
    ig = signed_in(world.users[Role.IG_LEAD])
    url = reverse("governance:subject_access", args=[world.person_a.pk])
    page = ig.get(url).content.decode()
    assert "Everything held about Test A001" in page and "999 000 0018" in page
    response = ig.get(url, {"format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="subject-access-A001.json"'
    bundle = json.loads(response.content)
    assert bundle["person"]["nhs_number"] == "9990000018"
    notes = [c["notes"] for c in bundle["episodes"][0]["contacts"]]
    assert "Talked about gardening" in notes
    job = bundle["episodes"][0]["jobs"][0]
    assert (job["job_title"], job["job_id"], job["employer"]) == ("Barista", "J-a", "Employer A")
    assert job["changes"] == [
        {
            "effective_date": "2025-04-01",
            "hours_per_week": "20.00",
            "hourly_pay": None,
            "start_confirmed": True,
        }
    ]
    assert "Contact ID" in page and "From 1 April 2025, 20 hours a week" in page
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, person_id=world.person_a.pk).count()
        == 2
    )


def test_anonymising_waits_for_the_retention_period_then_removes_identifiers(world: World) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(**CONTACT_DETAILS)
    merged = Person.objects.create(
        service=world.service_a,
        client_id="A001-OLD",
        given_name="Old",
        nhs_number="9990000034",
        merged_into=world.person_a,
        **CONTACT_DETAILS,
    )
    older = Person.objects.create(  # merged into that record before it was merged itself
        service=world.service_a, client_id="A001-OLDER", given_name="Older", merged_into=merged
    )
    ig = signed_in(world.users[Role.IG_LEAD])
    url = reverse("governance:anonymise", args=[world.person_a.pk])
    ig.post(url)  # the episode is still open
    assert Person.objects.get(pk=world.person_a.pk).nhs_number == "9990000018"
    Episode.objects.filter(person=world.person_a).update(
        discharge_date=date(2025, 6, 30), discharge_reason="other"
    )
    Intervention.objects.create(
        episode=world.episode(world.person_a),
        kind="other",
        description="Mr A's gardening group",
        start_date=date(2025, 2, 1),
    )
    with time_machine.travel(date(2031, 6, 30)):  # the last day of the 6-year retention period
        signed_in(world.users[Role.IG_LEAD]).post(url)
        assert Person.objects.get(pk=world.person_a.pk).nhs_number == "9990000018"
    with time_machine.travel(date(2031, 7, 1)):
        signed_in(world.users[Role.IG_LEAD]).post(url)
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.client_id, person.nhs_number, person.given_name, person.date_of_birth) == (
        f"ANON{person.pk}",
        "",
        "",
        None,
    )
    contact = (person.phone, person.email, person.address, person.postcode)
    assert contact == ("", "", "", "")
    assert (person.preferred_contact, person.message_consent) == ("", None)
    merged.refresh_from_db()  # a record merged into theirs goes too
    assert (merged.client_id, merged.given_name, merged.nhs_number, merged.phone) == (
        f"ANON{merged.pk}",
        "",
        "",
        "",
    )
    older.refresh_from_db()
    assert (older.client_id, older.given_name) == (f"ANON{older.pk}", "")
    assert Episode.objects.filter(person=person).count() == 1  # outcome records stay
    assert list(Intervention.objects.values_list("description", flat=True)) == [""]
    event = AuditEvent.objects.get(action=AuditAction.ANONYMISE)
    assert (event.actor, event.person_id) == (world.users[Role.IG_LEAD], person.pk)


def test_benefit_estimates_are_in_subject_access_and_anonymising_clears_the_household(
    world: World,
) -> None:
    es = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=es)
    estimate = make_estimate(world.episode(world.person_a), es, date(2025, 3, 1))
    ig = signed_in(world.users[Role.IG_LEAD])
    bundle = json.loads(
        ig.get(
            reverse("governance:subject_access", args=[world.person_a.pk]), {"format": "json"}
        ).content
    )
    held = bundle["episodes"][0]["benefit_estimates"]
    assert held[0]["scenario"]["housing_costs"] == "500"
    assert held[0]["income_in_work"] == "1930.41"
    Episode.objects.filter(person=world.person_a).update(
        discharge_date=date(2025, 6, 30), discharge_reason="other"
    )
    with time_machine.travel(date(2031, 7, 1)):
        signed_in(world.users[Role.IG_LEAD]).post(
            reverse("governance:anonymise", args=[world.person_a.pk])
        )
    estimate.refresh_from_db()
    assert estimate.scenario == {}
    assert str(estimate.income_in_work) == "1930.41"  # the anonymous figure stays
