"""Hospital stays on a person's record and outcome-measure scores on an episode: recorded and
corrected through their pages with the range of each measure explained, shown on the record,
moved by a merge and given back by its undo, and listed in subject access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients import services
from openips.clients.models import HospitalStay, MeasureScore
from openips.governance.rights import bundle, gather
from tests.clients.test_journey import date_fields
from tests.conftest import World, signed_in
from tests.factories import HospitalStayFactory, MeasureScoreFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def es(world: World) -> Client:
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def record_page(client: Client, world: World) -> str:
    return client.get(reverse("record:person", args=[world.person_a.pk])).content.decode()


def test_a_stay_is_recorded_shown_and_corrected_with_its_history(world: World, es: Client) -> None:
    url = reverse("clients:stay_create", args=[world.person_a.pk])
    refused = es.post(
        url,
        {
            "setting": "mental_health_inpatient",
            **date_fields("admission_date", date(2024, 11, 20)),
            **date_fields("discharge_date", date(2024, 11, 4)),
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "nhsuk-error-summary" in page
    assert "Date discharged must be on or after the date admitted, 20 November 2024" in page
    assert not HospitalStay.objects.exists()

    saved = es.post(
        url,
        {"setting": "mental_health_inpatient", **date_fields("admission_date", date(2024, 11, 4))},
    )
    assert saved.status_code == 302
    stay = HospitalStay.objects.get()
    assert (stay.person, stay.service, stay.discharge_date) == (
        world.person_a,
        world.service_a,
        None,
    )
    assert stay.admission_id.startswith("H")
    assert "Mental health inpatient: 4 November 2024 still in hospital" in record_page(es, world)

    change = reverse("clients:stay_change", args=[stay.pk])
    corrected = es.post(
        change,
        {
            "version": "1",
            "setting": "mental_health_inpatient",
            **date_fields("admission_date", date(2024, 11, 4)),
            **date_fields("discharge_date", date(2024, 11, 18)),
        },
    )
    assert corrected.status_code == 302
    stay.refresh_from_db()
    assert (stay.discharge_date, stay.version) == (date(2024, 11, 18), 2)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(stay.pk))
    assert event.person_id == world.person_a.pk
    assert [e.field for e in event.earlier_values.all()] == ["discharge_date"]
    assert "4 November 2024 to 18 November 2024" in record_page(es, world)


def test_a_score_out_of_its_measures_range_is_refused_with_the_range(
    world: World, es: Client
) -> None:
    episode = world.episode(world.person_a)  # referred on 6 January 2025
    url = reverse("clients:measure_create", args=[episode.pk])
    form = es.get(url).content.decode()
    assert "The total of its 10 items, a whole number from 0 to 40; lower is better" in form
    for score, message in (
        ("41", "Score must be between 0 and 40 for ReQoL-10"),
        ("12.5", "Score must be a whole number for ReQoL-10"),
        ("twelve", "Score must be a number, like 14 or 23.5"),
    ):
        page = es.post(
            url, {"measure": "reqol_10", "score": score, **date_fields("date", date(2025, 1, 8))}
        ).content.decode()
        assert "nhsuk-error-summary" in page and message in page, score
    early = es.post(
        url, {"measure": "reqol_10", "score": "20", **date_fields("date", date(2025, 1, 5))}
    ).content.decode()
    assert "Date completed must be on or after the referral date, 6 January 2025" in early
    assert not MeasureScore.objects.exists()

    saved = es.post(
        url, {"measure": "swemwbs", "score": "19.25", **date_fields("date", date(2025, 1, 8))}
    )
    assert saved.status_code == 302
    score = MeasureScore.objects.get()
    assert (score.episode, score.score, score.service) == (
        episode,
        Decimal("19.25"),
        world.service_a,
    )
    assert "8 January 2025: SWEMWBS 19.25" in record_page(es, world)
    change = reverse("clients:measure_change", args=[score.pk])
    assert "19.25" in es.get(change).content.decode()
    corrected = es.post(
        change,
        {
            "version": "1",
            "measure": "swemwbs",
            "score": "21",
            **date_fields("date", date(2025, 1, 8)),
        },
    )
    assert corrected.status_code == 302
    score.refresh_from_db()
    assert (score.score, score.version) == (Decimal("21"), 2)


def test_a_clinician_sees_the_stays_and_scores_but_cannot_record_them(world: World) -> None:
    HospitalStayFactory(person=world.person_a)
    MeasureScoreFactory(episode=world.episode(world.person_a))
    clinician = signed_in(world.users[Role.CLINICIAN])
    page = record_page(clinician, world)
    assert "Mental health inpatient: 1 October 2024 to 11 October 2024" in page
    assert "8 January 2025: ReQoL-10 18" in page
    assert "Record a hospital stay" not in page and "Record an outcome measure" not in page
    url = reverse("clients:stay_create", args=[world.person_a.pk])
    assert clinician.get(url).status_code == 403


def test_a_merge_moves_the_duplicates_stays_and_its_undo_gives_them_back(world: World) -> None:
    duplicate = PersonFactory(service=world.service_a, organisation=world.org1)
    stay = HospitalStayFactory(person=duplicate)
    manager = world.users[Role.TEAM_LEADER]
    merged = services.merge(manager, world.person_a, duplicate)
    stay.refresh_from_db()
    assert stay.person == world.person_a
    assert list(merged.stays.all()) == [stay]
    services.undo_merge(manager, merged)
    stay.refresh_from_db()
    assert stay.person == duplicate


def test_subject_access_gives_the_stays_and_scores(world: World) -> None:
    HospitalStayFactory(person=world.person_a, admission_id="ADM-7")
    MeasureScoreFactory(episode=world.episode(world.person_a), measure="core_10", score=12)
    given = bundle(gather(world.person_a))
    assert given["hospital_stays"] == [
        {
            "admission_id": "ADM-7",
            "admission_date": "2024-10-01",
            "discharge_date": "2024-10-11",
            "setting": "mental_health_inpatient",
        }
    ]
    [score] = given["episodes"][0]["outcome_measures"]
    assert (score["measure"], score["date"], score["score"]) == ("core_10", "2025-01-08", "12.00")


def test_a_stay_is_corrected_only_by_the_service_that_recorded_it(world: World, es: Client) -> None:
    """Another service's stay of the same person counts in their figures, but that service
    exports and corrects it."""
    theirs = HospitalStayFactory(person=world.person_a, service=world.service_b)
    ours = HospitalStayFactory(person=world.person_a)
    assert es.get(reverse("clients:stay_change", args=[ours.pk])).status_code == 200
    assert es.get(reverse("clients:stay_change", args=[theirs.pk])).status_code == 404
    assert "1 October 2024" in record_page(es, world)
