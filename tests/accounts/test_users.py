from __future__ import annotations

from django.urls import reverse

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import World, signed_in


def form_data(**overrides: object) -> dict[str, object]:
    return {
        "username": "new-es",
        "first_name": "New",
        "last_name": "Specialist",
        "email": "new@example.nhs.uk",
        "password": "a long enough passphrase",
        "role": Role.EMPLOYMENT_SPECIALIST,
        **overrides,
    }


def test_admin_creates_an_account_attached_to_a_service(world: World) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    response = admin.post(reverse("accounts:user_create"), form_data(service=world.service_a.pk))
    assert response.status_code == 302
    user = User.objects.get(username="new-es")
    assert user.service == world.service_a
    assert user.check_password("a long enough passphrase")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(user.pk)).exists()


def test_an_account_without_its_roles_attachment_is_refused_and_nothing_saved(world: World) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    response = admin.post(
        reverse("accounts:user_create"), form_data(organisation=world.org1.pk, password="short")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_service"' in page
    assert "Select the service" in page
    assert 'href="#id_organisation"' in page
    assert 'href="#id_password"' in page
    assert not User.objects.filter(username="new-es").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_the_user_list_shows_every_account_with_its_role(world: World) -> None:
    page = (
        signed_in(world.users[Role.ADMINISTRATOR]).get(reverse("accounts:users")).content.decode()
    )
    for user in world.users.values():
        assert user.username in page
    assert "Information governance lead" in page
