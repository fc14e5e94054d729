"""Access to people's records is given by two administrators, never one, and never to oneself."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openips.accounts import services
from openips.accounts.models import GrantStatus, RoleGrant, User
from openips.accounts.roles import Role, needs_approval
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import World, make_user, signed_in


@pytest.fixture
def second_admin(world: World) -> User:
    return make_user("admin2", Role.ADMINISTRATOR)


def account_data(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        **{f: getattr(user, f"{f}_id") or "" for f in ("network", "organisation", "service")},
        "clinical_team": user.clinical_team_id or "",
    }
    return data | overrides


def as_manager_of(org_pk: int) -> dict[str, Any]:
    return {"role": Role.SERVICE_MANAGER, "organisation": org_pk, "clinical_team": ""}


def export_b(client: Client, world: World) -> int:
    url = reverse("interchange:export", kwargs={"pk": world.service_b.pk, "format": "zip"})
    return int(client.get(url).status_code)


def requested(actor: User, user: User, before: dict[str, object]) -> RoleGrant:
    grant = services.update_user(actor, user, before)
    assert grant is not None, "the change should have been held for approval"
    return grant


def decide(client: Client, grant: RoleGrant, decision: str) -> Any:
    return client.post(reverse("accounts:grant", args=[grant.pk]), {"decision": decision})


def test_only_the_commissioner_role_is_given_without_approval() -> None:
    # Every other role opens people's records, or (administrator) could approve its own requests.
    assert {role for role in Role.values if not needs_approval(role)} == {Role.COMMISSIONER}


def test_an_administrator_cannot_make_themselves_a_manager_elsewhere(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    client = signed_in(admin)
    page = client.get(reverse("accounts:user_edit", args=[admin.pk])).content.decode()
    assert 'name="role"' not in page and 'name="organisation"' not in page
    assert "Another administrator changes your role" in page

    # Posting the fields anyway changes nothing: they are not part of one's own form.
    response = client.post(
        reverse("accounts:user_edit", args=[admin.pk]),
        account_data(admin, **as_manager_of(world.org2.pk), first_name="Alex"),
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.organisation_id, admin.first_name) == (
        Role.ADMINISTRATOR,
        None,
        "Alex",
    )
    assert not RoleGrant.objects.exists()
    assert export_b(client, world) == 403


def test_the_service_refuses_a_change_to_ones_own_access_whatever_the_way_in(
    world: World,
) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    before = services.snapshot(admin)
    admin.role, admin.organisation = Role.SERVICE_MANAGER, world.org2
    with pytest.raises(services.AccessRefused, match="your own role"):
        services.update_user(admin, admin, before)
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
    assert not RoleGrant.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).exists()


def test_a_role_that_opens_records_waits_for_a_second_administrator(
    world: World, second_admin: User
) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    clinician = world.users[Role.CLINICIAN]
    response = admin.post(
        reverse("accounts:user_edit", args=[clinician.pk]),
        account_data(clinician, **as_manager_of(world.org2.pk)),
        follow=True,
    )
    assert "waits for another administrator to approve it" in response.content.decode()
    clinician.refresh_from_db()
    assert (clinician.role, clinician.clinical_team_id) == (Role.CLINICIAN, world.team_a.pk)
    grant = RoleGrant.objects.get(user=clinician)
    assert (grant.status, grant.role, grant.reaches) == (
        GrantStatus.PENDING,
        Role.SERVICE_MANAGER,
        world.org2,
    )
    assert export_b(signed_in(clinician), world) == 403  # nothing opened yet

    # The administrator who asked cannot approve: an error, and nothing changes.
    page = decide(admin, grant, "approve").content.decode()
    assert "There is a problem" in page
    assert "You asked for this change, so another administrator must approve it" in page
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING
    assert export_b(signed_in(clinician), world) == 403

    # A second administrator sees it waiting and approves it.
    other = signed_in(second_admin)
    assert "Access waiting for approval" in other.get(reverse("accounts:users")).content.decode()
    assert decide(other, grant, "approve").status_code == 302
    clinician.refresh_from_db()
    assert (clinician.role, clinician.organisation_id) == (Role.SERVICE_MANAGER, world.org2.pk)
    assert export_b(signed_in(clinician), world) == 200

    asked = AuditEvent.objects.get(action=AuditAction.ACCESS_REQUESTED)
    assert asked.actor == world.users[Role.ADMINISTRATOR]
    assert asked.changes["role"] == [Role.CLINICIAN, Role.SERVICE_MANAGER]
    approved = AuditEvent.objects.get(action=AuditAction.ACCESS_APPROVED)
    assert approved.actor == second_admin
    assert approved.object_id == str(clinician.pk)
    assert approved.changes["role"] == [Role.CLINICIAN, Role.SERVICE_MANAGER]


def test_the_account_a_request_is_for_cannot_approve_it(world: World, second_admin: User) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    before = services.snapshot(admin)
    admin.role, admin.organisation = Role.SERVICE_MANAGER, world.org2
    grant = requested(second_admin, admin, before)
    with pytest.raises(services.AccessRefused, match="your own account"):
        services.approve(admin, grant)
    page = decide(signed_in(admin), grant, "approve").content.decode()
    assert "This change is to your own account" in page
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def test_a_new_account_with_such_a_role_stays_switched_off_until_approved(
    world: World, second_admin: User
) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    response = admin.post(
        reverse("accounts:user_create"),
        {
            "username": "sock-puppet",
            "first_name": "Sock",
            "last_name": "Puppet",
            "email": "",
            "password": "a long enough passphrase",
            "role": Role.ADMINISTRATOR,
        },
    )
    assert response.status_code == 302
    puppet = User.objects.get(username="sock-puppet")
    assert not puppet.is_active
    sign_in = Client().post(
        reverse("accounts:sign_in"),
        {"username": "sock-puppet", "password": "a long enough passphrase"},
    )
    assert sign_in.status_code == 200 and "There is a problem" in sign_in.content.decode()

    # Switching it on is the same request again, not a way round it.
    admin.post(
        reverse("accounts:user_edit", args=[puppet.pk]), account_data(puppet, is_active="on")
    )
    puppet.refresh_from_db()
    assert not puppet.is_active
    grants = RoleGrant.objects.filter(user=puppet)
    assert [g.status for g in grants.order_by("pk")] == [GrantStatus.WITHDRAWN, GrantStatus.PENDING]

    services.approve(second_admin, grants.get(status=GrantStatus.PENDING))
    puppet.refresh_from_db()
    assert puppet.is_active and puppet.must_change_password


def test_a_refused_request_changes_nothing_and_is_audited(world: World, second_admin: User) -> None:
    specialist = world.users[Role.EMPLOYMENT_SPECIALIST]
    before = services.snapshot(specialist)
    specialist.role = Role.TEAM_LEADER
    grant = requested(world.users[Role.ADMINISTRATOR], specialist, before)
    assert decide(signed_in(second_admin), grant, "refuse").status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.REFUSED, second_admin)
    specialist.refresh_from_db()
    assert specialist.role == Role.EMPLOYMENT_SPECIALIST
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=second_admin).exists()
    with pytest.raises(services.AccessRefused, match="already been decided"):
        services.approve(second_admin, grant)


def test_taking_access_away_applies_at_once_and_withdraws_a_waiting_request(
    world: World,
) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    manager = world.users[Role.SERVICE_MANAGER]
    admin.post(
        reverse("accounts:user_edit", args=[manager.pk]),
        account_data(manager, organisation=world.org2.pk),
    )
    grant = RoleGrant.objects.get(user=manager)
    admin.post(
        reverse("accounts:user_edit", args=[manager.pk]), account_data(manager, is_active="")
    )
    manager.refresh_from_db()
    grant.refresh_from_db()
    assert not manager.is_active
    assert grant.status == GrantStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_WITHDRAWN).exists()


def test_the_ig_lead_sees_requests_for_their_organisations_records(
    world: World, second_admin: User
) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    commissioner = world.users[Role.COMMISSIONER]
    into_org1 = services.snapshot(commissioner)
    commissioner.role, commissioner.network, commissioner.organisation = (
        Role.SERVICE_MANAGER,
        None,
        world.org1,
    )
    services.approve(second_admin, requested(admin, commissioner, into_org1))
    clinician = world.users[Role.CLINICIAN]
    into_org2 = services.snapshot(clinician)
    clinician.role, clinician.clinical_team, clinician.organisation = (
        Role.SERVICE_MANAGER,
        None,
        world.org2,
    )
    services.update_user(admin, clinician, into_org2)

    ig = signed_in(world.users[Role.IG_LEAD])
    assert "Requests for access" in ig.get(reverse("governance:search")).content.decode()
    page = ig.get(reverse("governance:access_grants")).content.decode()
    assert "commissioner" in page and "Service manager, Trust One" in page
    assert "Approved by admin2" in page
    assert "clinician" not in page  # that request opens Provider Two's records, not Trust One's


@pytest.mark.parametrize("change", ["password", "email"])
def test_new_credentials_for_a_records_account_wait_for_a_second_administrator(
    world: World, second_admin: User, change: str
) -> None:
    """An administrator who could set another administrator's password (or the email single
    sign-on matches on) could sign in as them and approve their own requests."""
    admin, target = world.users[Role.ADMINISTRATOR], second_admin
    before = services.snapshot(target)
    if change == "email":
        target.email = "someone.else@nhs.net"
        grant = services.update_user(admin, target, before)
    else:
        grant = services.update_user(admin, target, before, new_password="A new one 4 testing")
    target.refresh_from_db()
    assert grant is not None and not target.is_active
    with pytest.raises(services.AccessRefused):
        services.approve(admin, grant)
    third = make_user("admin3", Role.ADMINISTRATOR)
    services.approve(third, grant)
    target.refresh_from_db()
    assert target.is_active and target.role == Role.ADMINISTRATOR


def test_a_name_change_applies_at_once(world: World, second_admin: User) -> None:
    before = services.snapshot(second_admin)
    second_admin.first_name = "Avery"
    assert services.update_user(world.users[Role.ADMINISTRATOR], second_admin, before) is None
    second_admin.refresh_from_db()
    assert second_admin.is_active and second_admin.first_name == "Avery"
