from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openips.accounts.models import ReviewerAccess
from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from tests.conftest import World


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.EMPLOYMENT_SPECIALIST, {"A001"}),
        (Role.TEAM_LEADER, {"A001"}),
        (Role.SERVICE_MANAGER, {"A001"}),
        (Role.CLINICIAN, {"A001"}),
        (Role.FIDELITY_REVIEWER, {"B001"}),
        (Role.COMMISSIONER, set()),
        (Role.IG_LEAD, set()),
        (Role.ADMINISTRATOR, set()),
    ],
)
def test_each_role_sees_exactly_its_scope(world: World, role: str, sees: set[str]) -> None:
    user = world.users[role]
    assert set(Person.objects.visible_to(user).values_list("client_id", flat=True)) == sees
    assert {
        e.person.client_id for e in Episode.objects.visible_to(user).select_related("person")
    } == sees


def test_a_clinician_sees_only_their_own_clinical_teams_clients(world: World) -> None:
    clinician = world.users[Role.CLINICIAN]
    other_team = world.service_a.clinical_teams.create(name="Another team")
    Episode.objects.filter(person=world.person_a).update(clinical_team=other_team)
    assert not Person.objects.visible_to(clinician).exists()


def test_a_reviewers_access_ends_with_its_period(world: World) -> None:
    reviewer = world.users[Role.FIDELITY_REVIEWER]
    yesterday = timezone.localdate() - timedelta(days=1)
    ReviewerAccess.objects.filter(reviewer=reviewer).update(ends_on=yesterday, starts_on=yesterday)
    assert not Person.objects.visible_to(reviewer).exists()


def test_an_inactive_account_sees_nothing(world: World) -> None:
    user = world.users[Role.SERVICE_MANAGER]
    user.is_active = False
    assert not Episode.objects.visible_to(user).exists()


def test_the_client_list_runs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from tests.conftest import make_person, signed_in

    es = world.service_a.staff.get()
    client = signed_in(world.users[Role.TEAM_LEADER])
    client.get(reverse("clients:list"))  # warm the session
    for n in range(40):
        make_person(world.service_a, world.team_a, es, f"X{n:03d}", "")
    with django_assert_max_num_queries(10):  # two of them: the filters' services and specialists
        response = client.get(reverse("clients:list"))
    assert response.status_code == 200
    assert "X039" in response.content.decode()
