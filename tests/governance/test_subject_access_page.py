"""Subject access is a document a member of the public can read and be given: labels and
meanings, not codes or stored values, with the file for other systems beside it."""

from __future__ import annotations

import json
import re
from datetime import date

from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework import services as casework
from openips.employment import services as employment
from tests.benefits.factories import make_estimate
from tests.conftest import World, signed_in

CODES = ("face_to_face", "benefits_counselling", "in_work_support", "self", "unemployed")


def a_full_record(world: World) -> None:
    specialist = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=specialist)
    episode = world.episode(world.person_a)
    casework.record_contact(
        specialist,
        episode,
        {
            "date": date(2025, 2, 3),
            "contact_with": "client",
            "mode": "face_to_face",
            "setting": "office",
            "purpose": "in_work_support",
            "notes": "Met at the cafe.\nFeeling settled.",
        },
    )
    casework.save_profile(
        specialist,
        episode,
        started_from=episode.version,
        started=date(2025, 2, 3),
        preferred_jobs="Cafe work",
    )
    job = world.jobs["a"]
    employment.change_job(
        specialist,
        job,
        started_from=job.version,
        effective_date=date(2025, 4, 1),
        start_confirmed=True,
        hours_per_week=20,
        hourly_pay=None,
    )
    make_estimate(world.episode(world.person_a), specialist, date(2025, 3, 1))
    signed_in(specialist).get(reverse("record:person", args=[world.person_a.pk]))


def visible_text(page: str) -> str:
    """The words on the page, without tags or attribute values."""
    return re.sub(r"<[^>]+>", " ", page)


def test_the_document_reads_in_words_not_codes(world: World) -> None:
    a_full_record(world)
    ig: Client = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(reverse("governance:subject_access", args=[world.person_a.pk])).content.decode()
    text = visible_text(page)
    for heading in (
        "About you",
        "Referral on 6 January 2025",
        "Contacts",
        "Vocational profile",
        "Jobs",
        "Better off in work estimates",
        "Who has looked at or changed your record",
    ):
        assert f">{heading}<" in page, heading
    for words in (
        "Face to face",
        "In-work support",
        "In the office or clinic",
        "Self-referral",
        "Met at the cafe.\nFeeling settled.",
        "Types of job wanted",
        "Cafe work",
        "Barista at Employer A",
        "From 1 April 2025, 20 hours a week, 4 paid hours worked",
        "The client on their own",
        "Esme A, Employment specialist",
        "3 February 2025",
    ):
        assert words in text, words
    for code in CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert "{" not in text and "None" not in text and "2025-02-03" not in text
    assert 'class="app-printable"' in page and 'href="?format=json"' in page


def test_the_file_keeps_its_contract_and_adds_who_looked(world: World) -> None:
    a_full_record(world)
    ig = signed_in(world.users[Role.IG_LEAD])
    url = reverse("governance:subject_access", args=[world.person_a.pk])
    bundle = json.loads(ig.get(url, {"format": "json"}).content)
    assert bundle["schema"] == "openips.subject-access/1"
    contact = next(c for c in bundle["episodes"][0]["contacts"] if c["notes"])
    assert (contact["mode"], contact["date"]) == ("face_to_face", "2025-02-03")
    assert set(contact) >= {"contact_id", "purpose", "attended", "staff", "employer", "notes"}
    who = {a["who"] for a in bundle["record_accesses"]}
    assert "Esme A, Employment specialist" in who


def test_events_from_before_attribution_are_put_on_the_persons_trail(
    transactional_db: None, world: World
) -> None:
    """Writes recorded before every event named its person (ADR 0017) join the person's trail.
    (Outside a test transaction: a schema change cannot follow inserts in one on PostgreSQL.)"""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from openips.audit.models import AuditEvent

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0008_merge_actions")])
    old = executor.loader.project_state([("audit", "0006_access_and_password_actions")]).apps
    contact, job = world.contacts["a"], world.jobs["a"]
    for obj in (contact, job):
        old.get_model("audit", "AuditEvent").objects.create(
            actor_label="specialist",
            action="create",
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj._meta.verbose_name).capitalize(),
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    events = AuditEvent.objects.filter(action="create", actor_label="specialist")
    assert {(e.person_id, e.service_id) for e in events} == {
        (world.person_a.pk, world.service_a.pk)
    }
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:person", args=[world.person_a.pk])
    )
    assert "Contact (A001)" in page.content.decode()
