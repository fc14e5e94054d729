"""The research extract: only for a person named on the study, while their access is in force;
pseudonyms keyed by the study; no direct identifier anywhere in it; dates as days from
acceptance; refused, naming the groups, when any holds fewer than 8 people; audited; with its
data dictionary."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Episode, Person
from openips.research import services
from openips.research.dictionary import columns_for
from openips.research.models import Study
from tests.conftest import World, signed_in
from tests.factories import (
    EpisodeFactory,
    HospitalStayFactory,
    JobFactory,
    MeasureScoreFactory,
    PersonFactory,
    nhs_number,
)

pytestmark = pytest.mark.django_db
ACCEPTED = date(2025, 3, 3)


@pytest.fixture
def cohort(world: World) -> list[Episode]:
    """Ten people of service A aged 30 at acceptance, each with a job, two scores and a stay."""
    es = world.service_a.staff.get(staff_id="ES01")
    episodes = []
    for n in range(10):
        person = PersonFactory(
            service=world.service_a,
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            nhs_number=nhs_number(7000 + n),
            date_of_birth=date(1994, 6, 1),
            postcode="NG7 2QP",
            phone="0115 496 0999",
            email=f"person{n}@example.com",
            gender="female" if n < 6 else "male",
        )
        episode = EpisodeFactory(
            person=person,
            employment_specialist=es,
            referral_date=ACCEPTED - timedelta(days=5),
            accepted_date=ACCEPTED,
        )
        JobFactory(episode=episode, start_date=ACCEPTED + timedelta(days=40 + n))
        MeasureScoreFactory(episode=episode, date=ACCEPTED, score=Decimal("15"))
        MeasureScoreFactory(episode=episode, date=ACCEPTED + timedelta(days=120), score=20)
        HospitalStayFactory(person=person)
        episodes.append(episode)
    return episodes


def study(world: World, **fields: Any) -> Study:
    values = {
        "name": "Work held over five years",
        "reference": "IRAS 312345",
        "start": date(2025, 2, 1),
        "end": date(2025, 12, 31),
    } | fields
    return services.create_study(world.users[Role.ADMINISTRATOR], [world.service_a], **values)


def named(world: World, s: Study, role: str = Role.FIDELITY_REVIEWER, **dates: date) -> Client:
    today = timezone.localdate()
    user = world.users[role]
    services.grant(
        world.users[Role.ADMINISTRATOR],
        s,
        user,
        dates.get("starts", today),
        dates.get("ends", today + timedelta(days=30)),
    )
    return signed_in(user)


def take(client: Client, s: Study) -> dict[str, list[list[str]]]:
    response = client.post(reverse("research:extract", args=[s.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name.removesuffix(".csv"): list(csv.reader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_only_a_person_named_on_the_study_takes_it_while_their_access_is_in_force(
    world: World, cohort: list[Episode]
) -> None:
    s = study(world)
    url = reverse("research:extract", args=[s.pk])
    for role in (Role.ADMINISTRATOR, Role.SERVICE_MANAGER, Role.IG_LEAD):
        assert signed_in(world.users[role]).post(url).status_code == 404, role
    today = timezone.localdate()
    later = named(world, s, Role.COMMISSIONER, starts=today + timedelta(days=1))
    assert later.post(url).status_code == 404  # not yet in force
    reviewer = named(world, s)
    assert reviewer.get(url).status_code == 200
    access = s.accesses.get(user=world.users[Role.FIDELITY_REVIEWER])
    services.revoke(world.users[Role.ADMINISTRATOR], access)
    assert reviewer.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_extract_holds_no_direct_identifier_of_the_source_data(
    world: World, cohort: list[Episode]
) -> None:
    s = study(world)
    files = take(named(world, s), s)
    assert set(files) == {"episodes", "jobs", "measures", "stays", "data_dictionary"}
    text = "\n".join(",".join(row) for name, rows in files.items() for row in rows)
    people = Person.objects.filter(episodes__in=cohort)
    for p in people:
        for value in (p.given_name, p.family_name, p.client_id, p.email, p.phone):
            assert value and value not in text, value
        assert p.nhs_number not in text
        assert f"{p.nhs_number[:3]} {p.nhs_number[3:6]} {p.nhs_number[6:]}" not in text
    assert "NG7" not in text and "2QP" not in text
    for e in cohort:
        assert e.episode_id not in text
        job = e.jobs.get()
        assert job.job_title not in text and job.employer.name not in text  # type: ignore[union-attr]
    assert ACCEPTED.isoformat() not in text and "1994" not in text


def test_dates_are_days_from_acceptance_and_the_pseudonyms_join_the_files(
    world: World, cohort: list[Episode]
) -> None:
    s = study(world)
    files = take(named(world, s), s)
    episodes, jobs = as_dicts(files["episodes"]), as_dicts(files["jobs"])
    assert len(episodes) == 10 and len(jobs) == 10
    assert {e["acceptance_month"] for e in episodes} == {"2025-03"}
    assert {e["referral_day"] for e in episodes} == {"-5"}
    assert {e["age_band"] for e in episodes} == {"16 to 34"}
    assert "gender" not in files["episodes"][0]  # the study did not take it
    assert sorted(int(j["start_day"]) for j in jobs) == list(range(40, 50))
    assert {j["person"] for j in jobs} == {e["person"] for e in episodes}
    stays = as_dicts(files["stays"])  # 1 to 11 October 2024, before the acceptance
    assert {(r["admission_day"], r["discharge_day"]) for r in stays} == {("-153", "-143")}
    scores = as_dicts(files["measures"])
    assert sorted({(r["day"], r["score"]) for r in scores}) == [("0", "15"), ("120", "20")]
    # The same study gives the same pseudonyms; another study, unrelated ones.
    again = as_dicts(take(named(world, s, Role.COMMISSIONER), s)["episodes"])
    assert {e["person"] for e in again} == {e["person"] for e in episodes}
    other = study(world, name="Another evaluation")
    theirs = as_dicts(take(named(world, other, Role.TEAM_LEADER), other)["episodes"])
    assert not {e["person"] for e in theirs} & {e["person"] for e in episodes}


def test_the_data_dictionary_describes_every_column_of_every_file(
    world: World, cohort: list[Episode]
) -> None:
    s = study(world, with_gender=True)  # 6 women and 4 men: under 8 in each, refused
    reviewer = named(world, s)
    page = reviewer.post(reverse("research:extract", args=[s.pk])).content.decode()
    assert "The extract cannot be given" in page
    assert "16 to 34, female, svc-a" in page and "16 to 34, male, svc-a" in page
    refused = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert refused.actor == world.users[Role.FIDELITY_REVIEWER]
    assert refused.changes["refused"] is True and refused.changes["small_combinations"] == 2

    whole = study(world, name="Without gender")
    files = take(named(world, whole, Role.TEAM_LEADER), whole)
    described = {(f, c) for f, c, _ in files["data_dictionary"][1:]}
    for name, cols in columns_for(whole).items():
        assert files[name][0] == [c.name for c in cols]
        assert {(f"{name}.csv", c.name) for c in cols} <= described
    taken = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert taken.changes["rows"] == {"episodes": 10, "jobs": 10, "measures": 20, "stays": 10}
    assert taken.changes["study"] == whole.pk
