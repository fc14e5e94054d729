"""Fidelity estimates: the worked example, each item's band edges, and hand-worked cases."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import count

import pytest
from django.core.management import call_command

from openips.casework.models import Contact
from openips.employment.models import Job
from openips.fidelity.estimates import Estimator
from openips.fidelity.scale import default
from openips.interchange.importer import import_folder
from openips.organisations.models import StaffMember
from tests.conftest import World
from tests.interchange.test_import_export import EXAMPLE
from tests.outcomes.test_example_report import same

D = date(2025, 12, 31)
ids = count(1)


@pytest.mark.django_db
def test_the_command_reproduces_the_worked_example() -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    out = StringIO()
    call_command("fidelity", "--service", "EXAMPLE", "--as-of", "2025-12-31", stdout=out)
    got = json.loads(out.getvalue())
    expected = json.loads((EXAMPLE.parent / "expected" / "fidelity-2025-12-31.json").read_text())
    for item in got["items"].values():
        assert item.pop("name")  # names are ours to word
    assert same(got, expected) == []


EDGES = {
    1: [(20, 5), (20.01, 4), (25, 4), (25.01, 3), (30, 3), (40, 2), (40.01, 1)],
    4: [(0.90, 5), (0.8999, 4), (0.75, 4), (0.7499, 3), (0.50, 3), (0.4999, 2)],
    15: [(30, 5), (30.5, 4), (60, 4), (150, 3), (150.1, 2), (270, 2), (270.1, 1)],
    17: [(6, 5), (5.99, 4), (5, 4), (4, 3), (3.99, 2), (2, 2), (1.99, 1)],
    19: [(0.85, 5), (0.8499, 4), (0.70, 4), (0.60, 3), (0.50, 2), (0.4999, 1)],
    20: [(0.85, 5), (0.70, 4), (0.6999, 3), (0.60, 3), (0.5999, 2), (0.4999, 1)],
    24: [(0.65, 5), (0.6499, 4), (0.50, 4), (0.40, 3), (0.30, 2), (0.2999, 1)],
}


@pytest.mark.parametrize("number", sorted(EDGES))
def test_band_edges(number: int) -> None:
    item = default().item(number)
    assert [(v, item.score(v)) for v, _ in EDGES[number]] == EDGES[number]


def test_competitive_jobs_needs_ten_jobs_before_it_scores_above_1() -> None:
    item = default().item(21)
    assert item.score(1.0, count=9) == 1
    assert [item.score(v, count=10) for v in (0.95, 0.9499, 0.85, 0.75, 0.64, 0.6399)] == [
        5,
        4,
        4,
        3,
        2,
        1,
    ]
    assert item.score(None, count=0) is None
    assert default().item(12).score(0.9) is None  # qualitative anchors: no score from data


def test_the_scale_files_have_every_item_and_the_uk_bands() -> None:
    scale = default()
    assert len(scale.items) == 25 and scale.variant == "uk"
    assert [scale.band(t) for t in (125, 115, 114, 100, 99, 74, 73)] == [
        "Exemplary fidelity",
        "Exemplary fidelity",
        "Good fidelity",
        "Good fidelity",
        "Fair fidelity",
        "Fair fidelity",
        "Not IPS",
    ]


def employer_contact(world: World, staff: StaffMember, day: date, **extra: object) -> None:
    Contact.objects.create(
        service=world.service_a,
        contact_id=f"F{next(ids)}",
        date=day,
        staff=staff,
        contact_with="employer",
        employer=world.employers["a"],
        mode="face_to_face",
        purpose="job_development",
        **extra,
    )


def test_staff_joining_or_leaving_mid_window_count_their_weeks_in_post(world: World) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    es.start_date = D - timedelta(days=69)  # 70 days in post in the window: 10 weeks
    es.save()
    leaver = StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES02",
        name="Leaver",
        role="employment_specialist",
        fte=Decimal("0.5"),
        end_date=D - timedelta(days=364 - 13),  # 14 days: 2 weeks
    )
    StaffMember.objects.create(  # left before the window: not counted at all
        service=world.service_a,
        staff_id="ES03",
        name="Gone",
        role="employment_specialist",
        fte=Decimal("1"),
        end_date=D - timedelta(days=400),
    )
    for k in range(30):
        employer_contact(world, es, D - timedelta(days=k))
    for k in range(4):
        employer_contact(world, leaver, D - timedelta(days=364 - k))
    employer_contact(world, es, D - timedelta(days=1), attended=False)  # did not happen
    estimate = Estimator(world.service_a, D).employer_contact()
    # ES01: 30 contacts / 10 weeks / 1.0 = 3; ES02: 4 / 2 weeks / 0.5 = 4; mean 3.5.
    assert estimate.value == pytest.approx(3.5)
    assert estimate.score == 2
    assert [s.staff_id for s in estimate.records] == ["ES01", "ES02"]


def test_rapid_job_search_counts_days_until_now_for_people_not_yet_contacted(
    world: World,
) -> None:
    episode = world.episode(world.person_a)
    episode.accepted_date = D - timedelta(days=40)
    episode.save()
    estimator = Estimator(world.service_a, D)
    assert estimator.rapid_job_search().value == 40  # no employer contact yet
    employer_contact(
        world, world.service_a.staff.get(staff_id="ES01"), D - timedelta(days=30), episode=episode
    )
    assert Estimator(world.service_a, D).rapid_job_search().value == 10


def test_benefits_counselling_on_the_day_of_the_start_counts(world: World) -> None:
    job = world.jobs["a"]
    job.start_date = D - timedelta(days=10)
    job.save()
    assert Estimator(world.service_a, D).benefits_counselling().value == 0.0
    Contact.objects.create(
        service=world.service_a,
        contact_id="BC1",
        date=job.start_date,
        staff=world.service_a.staff.get(staff_id="ES01"),
        contact_with="client",
        episode=job.episode,
        mode="face_to_face",
        purpose="benefits_counselling",
    )
    assert Estimator(world.service_a, D).benefits_counselling().value == 1.0
    Job.objects.filter(pk=job.pk).update(start_confirmed=False)
    assert Estimator(world.service_a, D).benefits_counselling().value is None


@pytest.mark.django_db
def test_a_specialist_with_50_per_full_time_post_is_flagged_beside_the_services_score() -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    staff = StaffMember.objects.filter(service__code="EXAMPLE")
    es01 = staff.get(staff_id="ES01")  # 25 active clients on 31 December 2025
    es01.fte = Decimal("0.5")
    es01.save()
    for n in (7, 8):  # two full-time specialists with no clients yet
        StaffMember.objects.create(
            service=es01.service,
            staff_id=f"ES0{n}",
            name=f"New {n}",
            role="employment_specialist",
            fte=Decimal("1"),
        )
    estimate = Estimator(es01.service, D).caseload()
    # 35 active clients over 3.5 full-time posts: 10 each, a 5, as metrics.md scores it ...
    assert estimate.value == pytest.approx(10.0) and estimate.score == 5
    assert estimate.as_json() == {
        "name": estimate.name,
        "value": estimate.value,
        "score": 5,
        "needs_reviewer": False,
    }
    # ... while one specialist carries 50 per full-time post, which is flagged beside it.
    by_id = {c.staff_id: c for c in estimate.caseloads}
    assert (by_id["ES01"].active, by_id["ES01"].per_post) == (25, pytest.approx(50.0))
    assert [c.staff_id for c in estimate.over_limit] == ["ES01"]
    assert by_id["ES03"].per_post == pytest.approx(10.0) and not by_id["ES03"].over
    assert (by_id["ES07"].active, by_id["ES07"].over) == (0, False)
    assert sum(c.active for c in estimate.caseloads) == len(estimate.records)
    assert estimate.caseload_limit == 20


def test_the_flag_is_where_the_top_anchor_stops() -> None:
    item = default().item(1)
    assert item.best_limit() == 20 and item.score(20) == 5 and item.score(20.01) == 4
    assert default().item(12).best_limit() is None  # no thresholds: nothing to flag against
