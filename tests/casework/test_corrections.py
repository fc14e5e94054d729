"""Corrections with history (ADR 0020): a contact changed or deleted, an episode handed over to
another specialist; each keeps its earlier values beside the trail, shown to the IG lead."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

import openips
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.casework.caseload import open_episodes
from openips.casework.models import Contact
from openips.casework.queries import employers_for
from openips.casework.week import team_week
from openips.clients.models import Episode, Handover
from openips.core.formatting import format_date
from openips.governance import rights
from openips.interchange.exporter import rows
from openips.organisations.models import StaffMember, StaffRole
from openips.outcomes.facts import episode_facts
from tests.conftest import World, signed_in
from tests.test_hostile_forms import HOSTILE

CONTACT_FORM = {
    "date_day": "9",
    "date_month": "1",
    "date_year": "2025",
    "contact_with": "client",
    "mode": "face_to_face",
    "setting": "community",
    "minutes": "45",
    "purpose": "job_search",
    "attended": "yes",
    "notes": "Looked at jobs in the café",
}


def _trail(world: World) -> str:
    ig = signed_in(world.users[Role.IG_LEAD])
    return ig.get(reverse("governance:person", args=[world.person_a.pk])).content.decode()


def _specialist_of_a(world: World) -> StaffMember:
    es = world.service_a.staff.get(staff_id="ES01")
    es.user = world.users[Role.EMPLOYMENT_SPECIALIST]
    es.save()
    return es


def test_changing_a_contact_keeps_the_earlier_values_for_the_ig_lead(world: World) -> None:
    contact = world.contacts["a"]
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    record = specialist.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    change = reverse("casework:contact_change", args=[contact.pk])
    assert change in record
    page = specialist.get(change).content.decode()
    assert 'value="9"' in page  # the form starts from what the contact says now
    response = specialist.post(change, {**CONTACT_FORM, "version": "1"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.purpose, contact.mode, contact.version) == ("job_search", "face_to_face", 2)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(contact.pk))
    assert "purpose" in event.changes["fields"]
    assert "Engagement" not in repr(event.changes)  # the value is beside the trail, not in it
    trail = _trail(world)
    assert "Changed Purpose: was Engagement" in trail
    assert "Changed Mode: was Phone" in trail


def test_a_stale_contact_edit_is_a_conflict(world: World) -> None:
    contact = world.contacts["a"]
    Contact.objects.filter(pk=contact.pk).update(version=2, notes="Saved by a colleague")
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("casework:contact_change", args=[contact.pk])
    page = specialist.post(url, {**CONTACT_FORM, "version": "1"}).content.decode()
    assert "Someone else changed this contact" in page
    assert "Saved by a colleague" in page  # the saved version beside the kept entries
    contact.refresh_from_db()
    assert contact.purpose == "engagement"
    delete = reverse("casework:contact_delete", args=[contact.pk])
    page = specialist.post(delete, {"reason": "duplicate", "version": "1"}).content.decode()
    assert "Someone else changed this contact" in page
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_deleting_a_contact_needs_a_reason_and_hides_it_everywhere(world: World) -> None:
    contact = world.contacts["a"]
    Contact.objects.filter(pk=contact.pk).update(notes="Rang about the café job")
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("casework:contact_delete", args=[contact.pk])
    page = specialist.post(url, {"version": "1"}).content.decode()
    assert "Select why you are deleting this contact" in page
    page = specialist.post(url, {"reason": "other", "version": "1"}).content.decode()
    assert "Enter the reason for deleting this contact" in page
    response = specialist.post(
        url, {"reason": "wrong_person", "note": "Meant for A002", "version": "1"}
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    kept = Contact.with_deleted.get(pk=contact.pk)
    assert kept.deleted_by == world.users[Role.EMPLOYMENT_SPECIALIST]
    assert kept.deletion_summary == "Recorded against the wrong person: Meant for A002"
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.changes["reason"] == "wrong_person"
    assert "Meant for A002" not in repr(event.changes)

    record = specialist.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Engagement: Client" not in record
    assert specialist.get(reverse("casework:contact_change", args=[contact.pk])).status_code == 404
    api = signed_in(world.users[Role.TEAM_LEADER])
    assert api.get(reverse("api:contact", args=[contact.pk])).status_code == 404
    assert all(c["contact_id"] != "C-a" for c in api.get(reverse("api:contacts")).json()["items"])
    exported = list(rows(world.service_a, "contacts"))
    assert len(exported) == 1  # the header only
    trail = _trail(world)
    assert "Deleted" in trail
    assert "Reason: Recorded against the wrong person: Meant for A002" in trail
    assert "Notes: was Rang about the café job" in trail


def test_a_deleted_contact_leaves_the_figures(world: World) -> None:
    """Caseload prompts, the team's week, employer history and outcome facts."""
    episode = world.episode(world.person_a)
    es = _specialist_of_a(world)
    employer_visit = Contact.objects.create(
        service=world.service_a,
        contact_id="C-emp",
        date=date(2025, 1, 13),
        staff=es,
        contact_with="employer",
        employer=world.employers["a"],
        episode=episode,
        mode="face_to_face",
        purpose="job_development",
    )
    leader = world.users[Role.TEAM_LEADER]
    monday = date(2025, 1, 13)

    def figures() -> tuple[object, ...]:
        row = open_episodes(leader).get(pk=episode.pk)
        facts = episode_facts(Episode.objects.filter(pk=episode.pk), date(2025, 1, 20))
        employer = employers_for(leader).get(pk=world.employers["a"].pk)
        return (
            row.last_client_contact,  # type: ignore[attr-defined]
            row.first_employer_contact,  # type: ignore[attr-defined]
            facts[0].client_contact_recently,
            facts[0].first_employer_contact,
            employer.face_to_face,  # type: ignore[attr-defined]
            employer.last_contact,  # type: ignore[attr-defined]
            team_week(world.service_a.pk, monday)[0].employer_face_to_face,
        )

    jan_9, jan_13 = date(2025, 1, 9), date(2025, 1, 13)
    assert figures() == (jan_9, jan_13, True, jan_13, 1, jan_13, 1)
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    for contact in (world.contacts["a"], employer_visit):
        url = reverse("casework:contact_delete", args=[contact.pk])
        assert specialist.post(url, {"reason": "did_not_happen", "version": "1"}).status_code == 302
    assert figures() == (None, None, False, None, 0, None, 0)


def test_every_join_through_contacts_leaves_out_deleted_ones() -> None:
    """No manager filters a join (`contacts__…`); each module that joins uses live_contacts."""
    source = Path(openips.__file__).parent
    joining = [
        p
        for p in source.rglob("*.py")
        if "migrations" not in p.parts
        and re.search(r"contacts__\w|Count\(\"contacts\"", p.read_text())
    ]
    assert joining, "the check should find the caseload and employer queries"
    missing = [str(p) for p in joining if "live_contacts" not in p.read_text()]
    assert missing == []


def test_handing_over_an_episode_is_on_the_timeline_and_the_trail(world: World) -> None:
    episode = world.episode(world.person_a)
    StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES02",
        name="Bea B",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        fte=Decimal("1"),
    )
    StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES03",
        name="Left Already",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        end_date=date(2025, 1, 1),
    )
    leader = signed_in(world.users[Role.TEAM_LEADER])
    record_url = reverse("record:person", args=[world.person_a.pk])
    url = reverse("clients:reassign", args=[episode.pk])
    assert url in leader.get(record_url).content.decode()
    page = leader.get(url).content.decode()
    assert "Bea B" in page and "Left Already" not in page and "Esme A</label>" not in page
    bea = StaffMember.objects.get(staff_id="ES02", service=world.service_a)
    response = leader.post(url, {"employment_specialist": bea.pk, "version": "1"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.employment_specialist, episode.version) == (bea, 2)
    assert Handover.objects.get().from_staff.name == "Esme A"  # type: ignore[union-attr]
    record = leader.get(record_url).content.decode()
    today = format_date(timezone.localdate())
    assert "Handed over from Esme A to Bea B" in record and today in record
    assert "By Leader" in record
    assert "Changed Employment specialist: was Esme A" in _trail(world)
    # Stale: a page opened at version 1, handing back to Esme.
    esme = world.service_a.staff.get(staff_id="ES01")
    page = leader.post(url, {"employment_specialist": esme.pk, "version": "1"}).content.decode()
    assert "Someone else changed this episode" in page
    assert Handover.objects.count() == 1


def test_only_team_leaders_and_managers_hand_over(world: World) -> None:
    episode = world.episode(world.person_a)
    url = reverse("clients:reassign", args=[episode.pk])
    assert signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(url).status_code == 403
    assert signed_in(world.users[Role.SERVICE_MANAGER]).get(url).status_code == 200
    outside = reverse("clients:reassign", args=[world.episode(world.person_b).pk])
    assert signed_in(world.users[Role.TEAM_LEADER]).get(outside).status_code == 404
    record = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(
        reverse("record:person", args=[world.person_a.pk])
    )
    assert url not in record.content.decode()


def test_contact_pages_are_404_outside_scope_and_403_for_other_roles(world: World) -> None:
    outside = world.contacts["b"]
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    for name in ("casework:contact_change", "casework:contact_delete"):
        assert specialist.get(reverse(name, args=[outside.pk])).status_code == 404
        own = reverse(name, args=[world.contacts["a"].pk])
        assert signed_in(world.users[Role.SERVICE_MANAGER]).get(own).status_code == 403
        assert signed_in(world.users[Role.CLINICIAN]).get(own).status_code == 403


def test_anonymising_erases_the_earlier_values(world: World) -> None:
    contact = world.contacts["a"]
    Contact.objects.filter(pk=contact.pk).update(notes="Zebedee's old note")
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    specialist.post(
        reverse("casework:contact_change", args=[contact.pk]), {**CONTACT_FORM, "version": "1"}
    )
    assert EarlierValue.objects.filter(value="Zebedee's old note").exists()
    other = EarlierValue.objects.count()
    Episode.objects.filter(person=world.person_a).update(
        discharge_date=date(2025, 6, 30), discharge_reason="other"
    )
    rights.anonymise(world.users[Role.IG_LEAD], world.person_a, date(2040, 1, 1))
    assert other > 0 and not EarlierValue.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()  # the event stays


def test_the_correction_forms_survive_hostile_input(world: World) -> None:
    """As the hostile-forms test does, with a second specialist so the handover form shows."""
    StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES02",
        name="Bea B",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
    )
    leader = signed_in(world.users[Role.TEAM_LEADER])
    forms = {
        reverse("clients:reassign", args=[world.episode(world.person_a).pk]): [
            "employment_specialist",
            "version",
        ],
        reverse("casework:contact_delete", args=[world.contacts["a"].pk]): [
            "reason",
            "note",
            "version",
        ],
        reverse("casework:contact_change", args=[world.contacts["a"].pk]): [
            *CONTACT_FORM,
            "version",
        ],
    }
    for url, fields in forms.items():
        for value in HOSTILE:
            response = leader.post(url, dict.fromkeys(fields, value))
            assert response.status_code < 500, (url, value)
    assert Contact.objects.filter(pk=world.contacts["a"].pk, version=1).exists()


def test_subject_access_holds_deleted_contacts_and_handovers(world: World) -> None:
    import json

    from openips.clients import services as clients

    contact = world.contacts["a"]
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    delete = reverse("casework:contact_delete", args=[contact.pk])
    specialist.post(delete, {"reason": "duplicate", "version": "1"})
    bea = StaffMember.objects.create(
        service=world.service_a, staff_id="ES02", name="Bea B", role=StaffRole.EMPLOYMENT_SPECIALIST
    )
    episode = world.episode(world.person_a)
    clients.reassign(
        world.users[Role.TEAM_LEADER], episode, started_from=1, employment_specialist=bea
    )
    ig = signed_in(world.users[Role.IG_LEAD])
    url = reverse("governance:subject_access", args=[world.person_a.pk])
    held = json.loads(ig.get(url, {"format": "json"}).content)["episodes"][0]
    assert [c["deleted"] for c in held["contacts"]] == ["Duplicate"]
    assert [(h["from"], h["to"]) for h in held["handovers"]] == [("Esme A", "Bea B")]
    assert ig.get(url).status_code == 200


def test_an_earlier_value_reads_as_the_page_shows_it() -> None:
    from openips.core.formatting import shown_value

    contact = Contact(
        date=date(2026, 3, 4), purpose="job_search", attended=False, minutes=None, notes=""
    )
    shown = {n: shown_value(contact, n) for n in ("date", "purpose", "attended", "minutes")}
    assert shown == {
        "date": "4 March 2026",
        "purpose": "Job search",
        "attended": "No",
        "minutes": "Not recorded",
    }
    assert shown_value(contact, "employer") == "Not recorded"


def test_a_deleted_contacts_id_is_not_reused_by_the_api(world: World) -> None:
    from tests.api.test_writes import Api, problems

    contact = world.contacts["a"]
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    delete = reverse("casework:contact_delete", args=[contact.pk])
    specialist.post(delete, {"reason": "duplicate", "version": "1"})
    body = {
        "service": "svc-a",
        "contact_id": "C-a",
        "date": "2025-02-01",
        "staff_id": "ES01",
        "contact_with": "client",
        "episode_id": "A001-1",
        "mode": "phone",
        "purpose": "engagement",
    }
    found = problems(Api(world).post("api:create_contact", body))
    assert found == {"contact_id": "C-a already exists in this service; update it instead"}
    edit = {k: v for k, v in body.items() if k not in ("service", "contact_id")} | {"version": 2}
    assert Api(world).put("api:update_contact", contact.pk, edit).status_code == 404
