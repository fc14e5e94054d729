"""Synthetic data at scale: valid by the model's own rules, deterministic for a seed and a day,
built once, and leaving the database's id counters ready for ordinary writes."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from nhs_number import is_valid

from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.demo import scale
from openips.employment.models import Job
from openips.organisations.models import Service

DAY = date(2026, 6, 30)


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("one", "two"):
        monkeypatch.setitem(scale.SIZES, name, scale.Size(services=4, episodes=120))


def shape(network: str) -> list[Any]:
    """Everything generated for a network, without its own codes and database ids."""
    services = Service.objects.filter(organisation__network__code=network).order_by("code")
    found: list[Any] = []
    for service in services:
        found.append(
            list(
                Episode.objects.filter(service=service)
                .order_by("episode_id")
                .values_list(
                    "episode_id",
                    "referral_date",
                    "accepted_date",
                    "discharge_date",
                    "discharge_reason",
                    "employment_specialist__staff_id",
                    "clinical_team__name",
                    "person__nhs_number",
                )
            )
        )
        found.append(
            list(
                Contact.objects.filter(service=service)
                .order_by("contact_id")
                .values_list("contact_id", "date", "purpose", "mode", "episode__episode_id")
            )
        )
        found.append(
            list(
                Job.objects.filter(service=service)
                .order_by("job_id")
                .values_list("job_id", "start_date", "end_date", "employer__employer_id")
            )
        )
    return found


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny")
def test_the_same_seed_and_day_build_the_same_data() -> None:
    one = scale.build("one", seed=7, today=DAY)
    two = scale.build("two", seed=7, today=DAY)
    assert (one.services, one.people) == (4, 120) == (two.services, two.people)
    assert one.contacts > 120 * 20 and one.jobs > 10
    assert shape("scale-one") == shape("scale-two")


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny")
def test_every_generated_row_passes_the_models_own_rules() -> None:
    scale.build("one", seed=3, today=DAY)
    for model in (Person, Episode, Job):
        for row in model.objects.all():
            row.full_clean()
    for contact in Contact.objects.all()[:500]:
        contact.full_clean()
    numbers = list(Person.objects.values_list("nhs_number", flat=True))
    assert len(set(numbers)) == len(numbers) == 120
    assert all(n.startswith("999") and is_valid(n) for n in numbers)
    assert not Contact.objects.filter(date__gt=DAY).exists()
    assert not Episode.objects.filter(discharge_date__gt=DAY).exists()
    for episode in Episode.objects.exclude(discharge_date=None).prefetch_related("contacts"):
        assert all(c.date <= episode.discharge_date for c in episode.contacts.all())


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny")
def test_a_second_build_adds_nothing_and_ordinary_writes_still_get_fresh_ids() -> None:
    scale.build("one", seed=1, today=DAY)
    before = Contact.objects.count()
    assert scale.build("one", seed=1, today=DAY).services == 0
    assert Contact.objects.count() == before
    episode = Episode.objects.order_by("pk").first()
    assert episode is not None
    highest = Contact.objects.order_by("-pk").values_list("pk", flat=True)[0]
    made = Contact.objects.create(
        service=episode.service,
        contact_id="NEW-1",
        date=DAY,
        staff=episode.employment_specialist,
        contact_with="client",
        episode=episode,
        mode="phone",
        purpose="engagement",
    )
    assert made.pk > highest


@pytest.mark.django_db
@pytest.mark.usefixtures("tiny")
def test_the_command_shows_progress_and_the_sign_ins() -> None:
    out, err = StringIO(), StringIO()
    call_command("demo", "--scale", "one", stdout=out, stderr=err)
    assert "4/4 services" in err.getvalue()
    assert "Built the one network: 4 services, 120 people" in out.getvalue()
    assert "scale-one-es" in out.getvalue()
    again = StringIO()
    call_command("demo", "--scale", "one", stdout=again, stderr=StringIO())
    assert "already there" in again.getvalue()
