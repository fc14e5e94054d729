"""One identity per person (ADR 0021): client ids and NHS numbers are the organisation's, a
person's details can be corrected, and two records of one person merged (and unmerged)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients import identifiers, services
from openips.clients.models import Episode, Person, PersonMerge
from openips.organisations.models import Service
from tests.conftest import World, make_person, signed_in

REFERRAL = {
    "given_name": "Sam",
    "family_name": "Jones",
    "referral_date_day": "3",
    "referral_date_month": "2",
    "referral_date_year": "2025",
    "referral_source": "self",
    "employment_status_at_referral": "unemployed",
}


def second_service(world: World) -> Service:
    """Another IPS team of the same trust as service A."""
    service = Service.objects.create(organisation=world.org1, code="svc-a2", name="Service A2")
    service.staff.create(staff_id="ES01", name="Esme A2", role="employment_specialist", fte=1)
    return service


def twin(world: World, client_id: str = "A002", service: Service | None = None) -> Person:
    service = service or world.service_a
    es = service.staff.get(staff_id="ES01")
    return make_person(service, service.clinical_teams.first(), es, client_id, "")  # type: ignore[arg-type]


# Client ids


def test_a_referral_takes_the_next_id_of_the_one_scheme(world: World) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(client_id=identifiers.client_id(41))
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    assert client.post(reverse("clients:refer"), REFERRAL).status_code == 302
    assert Person.objects.filter(organisation=world.org1).latest("pk").client_id == "C000042"
    # Another organisation counts its own.
    assert identifiers.next_number(world.org2.pk) == 1


def test_a_client_id_names_one_person_in_the_organisation(world: World) -> None:
    other = second_service(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(service=other, client_id="A001")
    # Another organisation may use the same id.
    assert Person.objects.create(service=world.service_b, client_id="A001").pk


def test_the_organisation_follows_the_service(world: World) -> None:
    person = Person.objects.create(service=world.service_b, client_id="X1")
    assert person.organisation_id == world.org2.pk
    person.service = world.service_a
    person.save()
    assert Person.objects.get(pk=person.pk).organisation_id == world.org1.pk


def test_the_record_shows_the_id_with_its_service(world: World) -> None:
    page = signed_in(world.users[Role.TEAM_LEADER]).get(
        reverse("record:person", args=[world.person_a.pk])
    )
    assert "A001 (Service A)" in page.content.decode()


def test_a_list_across_services_shows_each_id_with_its_service(world: World) -> None:
    twin(world, "C000007", second_service(world))
    listing = signed_in(world.users[Role.SERVICE_MANAGER]).get(reverse("clients:list"))
    text = " ".join(listing.content.decode().split())
    service_cell = 'aria-hidden="true">Service </span><span>{}</span>'
    assert "C000007" in text and service_cell.format("Service A2") in text
    assert "A001" in text and service_cell.format("Service A") in text
    one_service = signed_in(world.users[Role.TEAM_LEADER]).get(reverse("clients:list"))
    assert 'aria-hidden="true">Service </span>' not in one_service.content.decode()


def test_the_demo_gives_one_id_per_person_in_each_organisation(db: None) -> None:
    from openips.demo.builder import build

    build(seed=7)
    ids = list(Person.objects.values_list("organisation_id", "client_id"))
    assert len(ids) == len(set(ids))
    assert all(c.startswith("C") and c[1:].isdigit() for _, c in ids)
    held = list(Person.objects.exclude(nhs_number="").values_list("organisation_id", "nhs_number"))
    assert len(held) == len(set(held))


# NHS numbers


def test_the_database_refuses_a_second_person_with_an_nhs_number(world: World) -> None:
    other = second_service(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(service=other, client_id="X1", nhs_number="9990000018")
    # Blank NHS numbers are not one person's, and other organisations keep their own.
    Person.objects.create(service=other, client_id="X2")
    Person.objects.create(service=other, client_id="X3")
    Person.objects.create(service=world.service_b, client_id="X4", nhs_number="9990000018")


def test_different_person_override_with_the_same_nhs_number_links_to_them(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    data = {**REFERRAL, "nhs_number": "999 000 0018"}
    warned = client.post(reverse("clients:refer"), data)
    assert "may already be known" in warned.content.decode()
    response = client.post(reverse("clients:refer"), {**data, "same_person_checked": "on"})
    assert response["Location"] == reverse("record:person", args=[world.person_a.pk])
    assert Person.objects.filter(nhs_number="9990000018", organisation=world.org1).count() == 1
    assert world.person_a.episodes.count() == 2  # a new episode for them


def test_an_nhs_number_known_to_another_service_of_the_trust_is_their_person(
    world: World,
) -> None:
    other = second_service(world)
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    user.service = other
    user.save()
    response = signed_in(user).post(
        reverse("clients:refer"), {**REFERRAL, "nhs_number": "9990000018"}
    )
    assert response.status_code == 302
    episode = Episode.objects.get(service=other)
    assert (episode.person_id, episode.episode_id) == (world.person_a.pk, "A001-2")
    # Referred again from that service, they stay with it: the referrer's, not their first.
    again = {
        "referral_date_day": "3",
        "referral_date_month": "3",
        "referral_date_year": "2025",
        "referral_source": "self",
        "employment_status_at_referral": "unemployed",
    }
    url = reverse("clients:refer_again", args=[world.person_a.pk])
    assert signed_in(user).post(url, again).status_code == 302
    assert list(
        Episode.objects.filter(service=other).order_by("pk").values_list("episode_id", flat=True)
    ) == ["A001-2", "A001-3"]


def test_a_referral_with_a_merged_records_nhs_number_goes_to_the_kept_record(
    world: World,
) -> None:
    duplicate = twin(world)
    Person.objects.filter(pk=world.person_a.pk).update(nhs_number="")
    Person.objects.filter(pk=duplicate.pk).update(nhs_number="9990000034")
    services.merge(world.users[Role.SERVICE_MANAGER], world.person_a, duplicate)
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    data = {**REFERRAL, "nhs_number": "9990000034", "same_person_checked": "on"}
    response = client.post(reverse("clients:refer"), data)
    assert response["Location"] == reverse("record:person", args=[world.person_a.pk])
    assert Person.objects.filter(nhs_number="9990000034").count() == 1


def test_a_look_alike_without_the_nhs_number_may_be_a_different_person(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    data = {**REFERRAL, "family_name": "A001", "nhs_number": "9990000034"}
    data |= {"date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "1990"}
    Person.objects.filter(pk=world.person_a.pk).update(date_of_birth="1990-01-01")
    client.post(reverse("clients:refer"), {**data, "same_person_checked": "on"})
    assert Person.objects.filter(family_name="A001").count() == 2


# Changing personal details


def details_form(person: Person, **changes: Any) -> dict[str, Any]:
    return {
        "version": person.version,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "nhs_number": person.nhs_number,
        **changes,
    }


def test_personal_details_are_corrected_version_checked_and_audited(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("clients:change_details", args=[world.person_a.pk])
    assert "Change personal details" in client.get(url).content.decode()
    form = details_form(
        world.person_a,
        given_name="Alex",
        phone="0113 496 0000",
        email="alex@example.com",
        postcode="ls1 4ap",
        preferred_contact="text_message",
        message_consent="yes",
    )
    assert client.post(url, form).status_code == 302
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.given_name, person.phone, person.postcode, person.version) == (
        "Alex",
        "0113 496 0000",
        "LS1 4AP",
        2,
    )
    assert (person.preferred_contact, person.message_consent) == ("text_message", True)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, person_id=person.pk)
    assert {"given_name", "phone", "preferred_contact"} <= set(event.changes["fields"])
    trail = f"{event.changes} {event.object_label}"
    assert "Alex" not in trail and "0113" not in trail and "LS1" not in trail
    stale = client.post(url, form | {"given_name": "Late"})  # began from version 1
    assert "Someone else changed this record" in stale.content.decode()
    assert Person.objects.get(pk=person.pk).given_name == "Alex"
    # The earlier values stay beside the trail, where the IG lead reads the person's story.
    ig = signed_in(world.users[Role.IG_LEAD])
    story = ig.get(reverse("governance:person", args=[person.pk])).content.decode()
    assert f"Changed Given name: was {world.person_a.given_name}" in story
    assert "Changed Phone: was Not recorded" in story


def test_an_nhs_number_of_another_client_is_refused_in_the_error_summary(world: World) -> None:
    other = twin(world)
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("clients:change_details", args=[other.pk])
    page = client.post(url, details_form(other, nhs_number="9990000018")).content.decode()
    assert "There is a problem" in page
    assert "This NHS number already belongs to client A001 (Service A)" in page
    assert 'href="#id_nhs_number"' in page
    assert Person.objects.get(pk=other.pk).nhs_number == ""


def test_contact_details_are_checked_in_nhs_words(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    url = reverse("clients:change_details", args=[world.person_a.pk])
    page = client.post(
        url, details_form(world.person_a, phone="12", email="x@", postcode="LS1")
    ).content.decode()
    assert "Enter a phone number of 7 to 15 digits" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter a real postcode" in page


def test_a_referral_captures_contact_details(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    data = {**REFERRAL, "phone": "+447700900123", "preferred_contact": "phone"}
    assert client.post(reverse("clients:refer"), data).status_code == 302
    person = Person.objects.get(given_name="Sam")
    assert (person.phone, person.preferred_contact, person.message_consent) == (
        "+447700900123",
        "phone",
        None,
    )


# Merging


def merge_via_pages(world: World, kept: Person, duplicate: Person) -> Any:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    chosen = manager.post(
        reverse("clients:merge", args=[kept.pk]), {"client_id": duplicate.client_id}
    )
    confirm = reverse("clients:merge_confirm", args=[kept.pk, duplicate.pk])
    assert chosen["Location"] == confirm
    page = manager.get(confirm).content.decode()
    assert kept.client_id in page and duplicate.client_id in page
    return manager.post(confirm)


def test_a_merge_moves_the_episodes_hides_the_duplicate_and_is_audited(world: World) -> None:
    duplicate = twin(world, "A002", second_service(world))
    moved = list(duplicate.episodes.values_list("pk", flat=True))
    response = merge_via_pages(world, world.person_a, duplicate)
    assert response["Location"] == reverse("record:person", args=[world.person_a.pk])
    assert set(world.person_a.episodes.values_list("pk", flat=True)) >= set(moved)
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == world.person_a.pk
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    listing = manager.get(reverse("clients:list")).content.decode()
    assert "A002" not in listing
    old = manager.get(reverse("record:person", args=[duplicate.pk]))
    assert old["Location"] == reverse("record:person", args=[world.person_a.pk])
    merged = {e.person_id for e in AuditEvent.objects.filter(action=AuditAction.MERGE)}
    assert merged == {world.person_a.pk, duplicate.pk}
    record = manager.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Client A002 was merged into this record" in record and "Undo merge" in record


def test_undo_gives_back_exactly_the_episodes_that_moved(world: World) -> None:
    duplicate = twin(world)
    merge_via_pages(world, world.person_a, duplicate)
    later = services.refer_again(
        world.users[Role.EMPLOYMENT_SPECIALIST],
        world.person_a,
        {
            "referral_date": timezone.localdate(),
            "referral_source": "self",
            "employment_status_at_referral": "unemployed",
        },
    )
    merge = PersonMerge.objects.get()
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    manager.post(reverse("clients:merge_undo", args=[world.person_a.pk, merge.pk]))
    assert list(duplicate.episodes.values_list("episode_id", flat=True)) == ["A002-1"]
    kept = set(world.person_a.episodes.values_list("episode_id", flat=True))
    assert kept == {"A001-1", later.episode_id}  # the episode added since the merge stays
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None
    assert PersonMerge.objects.get().undone_at is not None
    undone = {e.person_id for e in AuditEvent.objects.filter(action=AuditAction.UNDO_MERGE)}
    assert undone == {world.person_a.pk, duplicate.pk}


def test_undo_is_refused_after_30_days(world: World) -> None:
    duplicate = twin(world)
    merge_via_pages(world, world.person_a, duplicate)
    merge = PersonMerge.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        manager = signed_in(world.users[Role.SERVICE_MANAGER])
        url = reverse("clients:merge_undo", args=[world.person_a.pk, merge.pk])
        page = manager.post(url, follow=True).content.decode()
    assert "A merge can be undone for 30 days only" in page
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == world.person_a.pk
    assert PersonMerge.objects.get().undone_at is None


def test_undo_is_refused_when_the_kept_record_took_the_nhs_number(world: World) -> None:
    duplicate = twin(world)
    Person.objects.filter(pk=world.person_a.pk).update(nhs_number="")
    Person.objects.filter(pk=duplicate.pk).update(nhs_number="9990000034")
    merged = services.merge(world.users[Role.SERVICE_MANAGER], world.person_a, duplicate)
    Person.objects.filter(pk=world.person_a.pk).update(nhs_number="9990000034")
    with pytest.raises(services.MergeRefused, match="now has the merged record's NHS number"):
        services.undo_merge(world.users[Role.SERVICE_MANAGER], merged)


def test_a_record_outside_the_managers_organisation_cannot_be_merged(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    chosen = manager.post(reverse("clients:merge", args=[world.person_a.pk]), {"client_id": "B001"})
    assert "Enter the client ID of a record you can see" in chosen.content.decode()
    url = reverse("clients:merge_confirm", args=[world.person_a.pk, world.person_b.pk])
    assert manager.post(url).status_code == 404
    assert manager.get(reverse("clients:merge", args=[world.person_b.pk])).status_code == 404
    assert Person.objects.get(pk=world.person_b.pk).merged_into_id is None


def test_a_merge_is_for_service_managers(world: World) -> None:
    duplicate = twin(world)
    url = reverse("clients:merge_confirm", args=[world.person_a.pk, duplicate.pk])
    for role in (Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.IG_LEAD):
        assert signed_in(world.users[role]).post(url).status_code == 403
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None


def test_a_record_cannot_be_merged_into_itself_or_twice(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    itself = manager.post(reverse("clients:merge", args=[world.person_a.pk]), {"client_id": "A001"})
    assert "not this one" in itself.content.decode()
    duplicate = twin(world)
    services.merge(world.users[Role.SERVICE_MANAGER], world.person_a, duplicate)
    with pytest.raises(services.MergeRefused):
        services.merge(world.users[Role.SERVICE_MANAGER], world.person_a, duplicate)


# The import keeps one record per person


def import_episodes(world: World, tmp_path: Any, *rows: dict[str, str]) -> list[str]:
    import csv

    from openips.interchange.importer import import_folder
    from openips.interchange.schema import TABLES

    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "episodes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c.name for c in TABLES["episodes"]])
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    "referral_date": "2025-04-01",
                    "referral_source": "self",
                    "employment_status_at_referral": "unemployed",
                    **row,
                }
            )
    return [str(p) for p in import_folder(folder, world.service_a.code).problems]


def test_an_import_refuses_one_nhs_number_for_two_clients_in_the_file(
    world: World, tmp_path: Any
) -> None:
    problems = import_episodes(
        world,
        tmp_path,
        {"episode_id": "E1", "client_id": "N1", "nhs_number": "9990000034"},
        {"episode_id": "E2", "client_id": "N2", "nhs_number": "9990000034"},
    )
    assert problems == ["episodes.csv:3: nhs_number: is also given for client N1 on line 2"]
    assert not Person.objects.filter(client_id__in=["N1", "N2"]).exists()


def test_an_import_refuses_a_client_id_of_another_service_or_a_merged_record(
    world: World, tmp_path: Any
) -> None:
    other = twin(world, "A2-ONLY", second_service(world))
    merged = twin(world, "A003")
    services.merge(world.users[Role.SERVICE_MANAGER], world.person_a, merged)
    problems = import_episodes(
        world,
        tmp_path,
        {"episode_id": "E1", "client_id": other.client_id},
        {"episode_id": "E2", "client_id": "A003"},
    )
    assert problems == [
        "episodes.csv:2: client_id: A2-ONLY is a client of another service of the organisation",
        "episodes.csv:3: client_id: A003 was merged into client A001",
    ]


def test_an_import_that_changes_a_person_makes_an_open_edit_stale(
    world: World, tmp_path: Any
) -> None:
    assert not import_episodes(
        world, tmp_path, {"episode_id": "A001-9", "client_id": "A001", "phone": "0113 496 0000"}
    )
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.phone, person.version) == ("0113 496 0000", 2)


def test_a_file_without_the_contact_columns_imports_and_keeps_them(
    world: World, tmp_path: Any
) -> None:
    from openips.interchange.importer import import_folder

    Person.objects.filter(pk=world.person_a.pk).update(phone="0113 496 0000", message_consent=True)
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "episodes.csv").write_text(
        "episode_id,client_id,referral_date,referral_source,employment_status_at_referral\r\n"
        "A001-7,A001,2025-04-01,self,unemployed\r\n"
    )
    outcome = import_folder(folder, world.service_a.code)
    assert outcome.ok, outcome.problems
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.phone, person.message_consent, person.episodes.count()) == (
        "0113 496 0000",
        True,
        2,
    )
