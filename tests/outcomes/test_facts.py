"""The facts read in SQL: which contacts and jobs count, at the boundaries metrics.md names."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest

from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.employment.models import Job
from openips.outcomes.facts import episode_facts, job_facts
from openips.outcomes.metrics import Period
from openips.outcomes.report import Facts
from tests.conftest import World

END = date(2025, 3, 31)
ids = count(1)


def contact(world: World, day: date, **fields: object) -> Contact:
    values: dict[str, object] = {
        "contact_with": "client",
        "mode": "face_to_face",
        "purpose": "engagement",
        "episode": world.episode(world.person_a),
    }
    values.update(fields)
    return Contact.objects.create(
        service=world.service_a,
        contact_id=f"T{next(ids)}",
        date=day,
        staff=world.service_a.staff.get(staff_id="ES01"),
        **values,
    )


@pytest.fixture
def episode_a(world: World) -> Episode:
    Contact.objects.filter(service=world.service_a).delete()
    episode = world.episode(world.person_a)
    episode.vocational_profile_date = date(2025, 1, 20)
    episode.save()
    return episode


def fact(world: World) -> object:
    scope = Episode.objects.filter(service=world.service_a)
    return next(iter(episode_facts(scope, END)))


@pytest.mark.parametrize(("days_before", "active"), [(27, True), (28, False)])
def test_a_client_contact_27_days_before_the_end_is_recent_and_28_is_not(
    world: World, episode_a: Episode, days_before: int, active: bool
) -> None:
    contact(world, END - timedelta(days=days_before))
    assert fact(world).client_contact_recently is active  # type: ignore[attr-defined]
    facts = Facts(Episode.objects.filter(service=world.service_a), Period(date(2025, 1, 1), END))
    assert facts.metrics()["caseload_active_at_end"] == int(active)


def test_a_contact_that_did_not_happen_or_was_not_with_the_client_is_not_recent(
    world: World, episode_a: Episode
) -> None:
    contact(world, END, attended=False)
    contact(world, END, contact_with="family")
    assert fact(world).client_contact_recently is False  # type: ignore[attr-defined]


def test_the_first_employer_contact_is_face_to_face_attended_and_after_acceptance(
    world: World, episode_a: Episode
) -> None:
    employer = {"contact_with": "employer", "employer": world.employers["a"]}
    contact(world, episode_a.accepted_date - timedelta(days=1), **employer)  # type: ignore[operator]
    contact(world, date(2025, 1, 15), mode="phone", **employer)
    contact(world, date(2025, 1, 16), attended=False, **employer)
    contact(world, date(2025, 1, 20), **employer)
    contact(world, date(2025, 1, 25), **employer)
    assert fact(world).first_employer_contact == date(2025, 1, 20)  # type: ignore[attr-defined]


def test_the_first_direct_contact_skips_email_letters_and_texts(
    world: World, episode_a: Episode
) -> None:
    contact(world, date(2025, 1, 9), mode="email")
    contact(world, date(2025, 1, 10), mode="letter")
    contact(world, date(2025, 1, 11), mode="text")
    contact(world, date(2025, 1, 12), mode="video", attended=False)
    contact(world, date(2025, 1, 13), mode="video")
    assert fact(world).first_direct_contact == date(2025, 1, 13)  # type: ignore[attr-defined]


def test_unconfirmed_starts_are_ignored_everywhere(world: World, episode_a: Episode) -> None:
    Job.objects.filter(service=world.service_a).update(start_confirmed=False)
    scope = Episode.objects.filter(service=world.service_a)
    assert job_facts(scope) == []
    metrics = Facts(scope, Period(date(2025, 1, 1), END)).metrics()
    assert metrics["job_starts"] == 0 and metrics["clients_into_work"] == 0
    Job.objects.filter(service=world.service_a).update(start_confirmed=True)
    metrics = Facts(scope, Period(date(2025, 1, 1), END)).metrics()
    assert metrics["job_starts"] == 1 and metrics["clients_into_work"] == 1
