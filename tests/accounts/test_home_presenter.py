"""What the home page shows each role, from built accounts: no database."""

from __future__ import annotations

from openips.accounts.presenters import HomePresenter
from openips.accounts.roles import Role
from tests.factories import UserFactory


def home(**fields: object) -> HomePresenter:
    return HomePresenter(UserFactory.build(**fields))


def test_the_greeting_is_the_first_name_or_username_and_the_role_in_lower_case() -> None:
    assert home(first_name="Esme").greeting == "Esme, employment specialist"
    assert home(first_name="", username="rp7", role=Role.IG_LEAD).greeting == (
        "rp7, information governance lead"
    )


def test_the_scope_is_the_unit_the_account_is_attached_to() -> None:
    assert home(role=Role.SERVICE_MANAGER, organisation__name="Trust One").scope == "Trust One"
    assert home(service__name="Leeds IPS").scope == "Leeds IPS"
    assert home(role=Role.ADMINISTRATOR).scope == ""


def test_each_role_is_offered_the_sections_its_capabilities_open() -> None:
    def titles(role: str) -> list[str]:
        return [section.title for section in home(role=role).sections]

    assert titles(Role.CLINICIAN) == ["Clients", "Services"]
    assert titles(Role.COMMISSIONER) == ["Network outcomes", "Returns", "Services"]
    assert titles(Role.IG_LEAD) == ["Services", "Audit trail"]
    assert titles(Role.ADMINISTRATOR) == ["Services", "Research studies", "Users"]
    assert titles(Role.EMPLOYMENT_SPECIALIST)[:2] == ["Caseload", "Clients"]
    assert home(is_active=False).sections == []  # a switched-off account reaches nothing


def test_only_a_clinician_with_a_team_is_offered_a_referral_first() -> None:
    # A built team has no primary key, so no clinical_team_id until it is given one.
    assert home(role=Role.CLINICIAN, clinical_team__id=1).refers_from_team
    assert not home(role=Role.CLINICIAN, clinical_team=None).refers_from_team
    assert not home(role=Role.EMPLOYMENT_SPECIALIST).refers_from_team
