"""The factories keep their promise: built without the database, saved rows valid."""

from __future__ import annotations

import pytest

from openips.accounts.roles import SCOPE_FIELD, SCOPE_FIELDS, Role
from openips.core.rules import NhsNumber
from tests import factories as f
from tests.benefits.factories import make_estimate

EVERY = (
    f.NetworkFactory,
    f.OrganisationFactory,
    f.ServiceFactory,
    f.ClinicalTeamFactory,
    f.StaffMemberFactory,
    f.UserFactory,
    f.PersonFactory,
    f.EpisodeFactory,
    f.ContactFactory,
    f.VocationalProfileFactory,
    f.EmployerFactory,
    f.JobFactory,
    f.EstimateFactory,
    f.HospitalStayFactory,
    f.MeasureScoreFactory,
)


def test_building_needs_no_database() -> None:
    # Unmarked: pytest-django fails any query here.
    for factory in EVERY:
        assert factory.build().pk is None
    episode = f.EpisodeFactory.build()
    assert episode.employment_specialist.service is episode.service is episode.person.service
    assert episode.clinical_team.service is episode.service


def test_nhs_numbers_are_valid_and_different() -> None:
    numbers = [f.nhs_number(n) for n in range(2000)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert number.startswith("999")
        NhsNumber()(number)


@pytest.mark.parametrize("factory", EVERY)
@pytest.mark.django_db
def test_saved_rows_pass_every_rule_of_their_fields(factory) -> None:  # type: ignore[no-untyped-def]
    factory().full_clean()


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.django_db
def test_every_role_is_attached_where_it_belongs(role: str) -> None:
    user = f.UserFactory(role=role)
    user.full_clean()  # User.clean refuses a missing or a wrong attachment
    attached = [unit for unit in SCOPE_FIELDS if getattr(user, f"{unit}_id") is not None]
    assert attached == ([SCOPE_FIELD[role]] if SCOPE_FIELD[role] else [])
    assert user.check_password(f.PASSWORD)


@pytest.mark.django_db
def test_an_estimate_holds_the_figures_its_scenario_gives() -> None:
    specialist = f.UserFactory()
    # The contact is recorded as the work of the specialist's own staff record.
    episode = f.EpisodeFactory(
        person__service=specialist.service, employment_specialist__user=specialist
    )
    made = make_estimate(episode, specialist)
    built = f.EstimateFactory.build()
    assert (built.income_now, built.income_in_work) == (made.income_now, made.income_in_work)
    assert built.scenario == made.scenario
