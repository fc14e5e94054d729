from django.urls import reverse

from openips.accounts.roles import Role
from tests.conftest import World


def test_casework_roles_reach_employers_from_the_navigation(world: World, client_for) -> None:
    link = f'href="{reverse("casework:employers")}"'
    for role in (Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER):
        page = client_for(role).get(reverse("accounts:home")).content.decode()
        assert link in page, role
        assert "Employers" in page
    assert link not in client_for(Role.CLINICIAN).get(reverse("accounts:home")).content.decode()
