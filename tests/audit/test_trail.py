from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.audit.models import AppendOnlyError, AuditAction, AuditEvent
from openips.audit.services import record
from tests.conftest import PASSWORD, World, signed_in


@pytest.fixture
def event(world: World) -> AuditEvent:
    return record(
        AuditAction.VIEW, actor=world.users[Role.EMPLOYMENT_SPECIALIST], obj=world.person_a
    )


def test_the_orm_refuses_to_change_or_delete_an_event(event: AuditEvent) -> None:
    event.object_label = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).object_label == "Person"


def test_the_database_refuses_a_raw_update(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_label = 'rewritten' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).object_label == "Person"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no DELETE trigger (ADR 0003)"
)
def test_postgresql_refuses_a_raw_delete(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_viewing_a_record_is_audited_with_who_when_and_where(world: World) -> None:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    client = signed_in(user)
    client.get(
        reverse("record:person", args=[world.person_a.pk]),
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.actor, event.person_id, event.service_id) == (
        user,
        world.person_a.pk,
        world.service_a.pk,
    )
    assert (event.ip_address, event.user_agent) == ("10.1.2.3", "TestBrowser/1.0")
    assert event.path == reverse("record:person", args=[world.person_a.pk])
    assert event.occurred_at is not None


def test_a_refused_view_leaves_no_view_event(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    assert client.get(reverse("record:person", args=[world.person_b.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_sign_in_success_failure_and_sign_out_are_audited(world: World) -> None:
    client = Client()
    url = reverse("accounts:sign_in")
    client.post(url, {"username": "specialist", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    client.post(url, {"username": "nobody-by-that-name", "password": "wrong"})
    client.post(url, {"username": "specialist", "password": PASSWORD})
    client.post(reverse("accounts:sign_out"))
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [
        (AuditAction.SIGN_IN_FAILED, "specialist"),
        (AuditAction.SIGN_IN_FAILED, "nobody-by-that-name"),
        (AuditAction.SIGN_IN, "specialist"),
        (AuditAction.SIGN_OUT, "specialist"),
    ]
    assert AuditEvent.objects.order_by("id").first().ip_address == "10.0.0.9"  # type: ignore[union-attr]


def test_a_role_change_is_audited_with_before_and_after(world: World) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    target: User = world.users[Role.EMPLOYMENT_SPECIALIST]
    response = admin.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {
            "username": target.username,
            "first_name": "Esme",
            "last_name": "",
            "email": "",
            # A role that opens no records applies at once (one that does waits: ADR 0015).
            "role": Role.COMMISSIONER,
            "network": world.network.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE)
    assert event.actor == world.users[Role.ADMINISTRATOR]
    # The roles (codes) before and after; of the name, only that it changed.
    assert event.changes["role"] == [Role.EMPLOYMENT_SPECIALIST, Role.COMMISSIONER]
    assert {"first_name", "role"} <= set(event.changes["fields"])
    assert "Esme" not in str(event.changes)


def test_ig_lead_sees_who_accessed_a_person(world: World) -> None:
    signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(
        reverse("record:person", args=[world.person_a.pk])
    )
    signed_in(world.users[Role.CLINICIAN]).get(reverse("record:person", args=[world.person_a.pk]))
    ig = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(reverse("governance:person", args=[world.person_a.pk])).content.decode()
    # By name and role, not by username.
    assert "Specialist, Employment specialist" in page
    assert "Clinician, Clinician" in page
    # Looking at the trail is itself on the trail.
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.VIEW_AUDIT,
            actor=world.users[Role.IG_LEAD],
            person_id=world.person_a.pk,
        ).count()
        == 1
    )


def test_ig_lead_sees_what_a_user_accessed(world: World) -> None:
    signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(
        reverse("record:person", args=[world.person_a.pk])
    )
    ig = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(
        reverse("governance:user", args=[world.users[Role.EMPLOYMENT_SPECIALIST].pk])
    ).content.decode()
    assert "Person (A001)" in page
    assert "Viewed" in page


def test_ig_search_finds_a_person_by_nhs_number_with_spaces(world: World) -> None:
    ig = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(reverse("governance:search"), {"person": "999 000 0018"}).content.decode()
    assert reverse("governance:person", args=[world.person_a.pk]) in page
    # The other organisation's person is not found, even by exact number.
    page = ig.get(reverse("governance:search"), {"person": "9990000026"}).content.decode()
    assert "No person in your organisation matches" in page


def test_ig_search_with_nothing_entered_shows_the_error_summary(world: World) -> None:
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:search"), {"person": "", "username": ""}
    )
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Enter a name, an NHS number, a client ID or a username" in text


def test_ig_search_finds_a_person_by_name_in_the_organisation_only(world: World) -> None:
    for person in (world.person_a, world.person_b):
        person.given_name, person.family_name = "Zoë", "Khan"
        person.save()
    ig = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(reverse("governance:search"), {"person": "zoe kh"}).content.decode()
    assert reverse("governance:person", args=[world.person_a.pk]) in page
    assert reverse("governance:person", args=[world.person_b.pk]) not in page
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.changes == {"kind": "name", "results": 1}
