"""People search: what it finds, whom it never shows, what the trail keeps, and that it reads
an index (ADR 0019)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients import search
from openips.clients.index import keys_for, normalise, reindex, words
from openips.clients.models import Kind, Person, SearchKey
from openips.clients.search import QueryKind, parse
from tests.conftest import World, make_user, signed_in


def name(world: World, person: Person, given: str, family: str, born: date | None = None) -> None:
    person.given_name, person.family_name, person.date_of_birth = given, family, born
    person.save()


@pytest.fixture
def khan(world: World) -> Person:
    name(world, world.person_a, "Dev", "Khan", date(1990, 3, 4))
    name(world, world.person_b, "Dev", "Khan", date(1990, 3, 4))  # the outsider's namesake
    return world.person_a


def shown(html: str) -> list[str]:
    """The client ids of the people a results page links to, in order."""
    pks = [int(pk) for pk in re.findall(r'href="/clients/(\d+)/"', html)]
    ids = dict(Person.objects.filter(pk__in=pks).values_list("pk", "client_id"))
    return [ids[pk] for pk in pks]


def found(world: World, text: str, role: str = Role.EMPLOYMENT_SPECIALIST) -> list[str]:
    response = signed_in(world.users[role]).get(reverse("clients:search"), {"q": text})
    assert response.status_code == 200
    return shown(response.content.decode())


# The words and keys, without a database.


def test_names_are_normalised_without_case_or_accents() -> None:
    assert normalise("ZOË") == normalise("zoe") == "zoe"
    assert words("Siân O'Brien-Smith") == ["sian", "o", "brien", "smith"]
    assert keys_for("Zoë", "Łucja Ng", "C-12", date(1990, 3, 4)) == [
        ("b", "1990-03-04"),
        ("i", "c-12"),
        ("n", "ng"),
        ("n", "zoe"),
        ("n", "łucja"),  # a letter that is not a base letter with a mark stays as it is
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("999 000 0018", QueryKind.NHS_NUMBER),
        ("9990000018", QueryKind.NHS_NUMBER),
        ("4 March 1990", QueryKind.DATE_OF_BIRTH),
        ("04/03/1990", QueryKind.DATE_OF_BIRTH),
        ("1990-03-04", QueryKind.DATE_OF_BIRTH),
        ("4 Mar 1990", QueryKind.DATE_OF_BIRTH),
        ("dev kh", QueryKind.NAME),
        ("A001", QueryKind.NAME),
        ("  ", QueryKind.NOTHING),
        ("'-", QueryKind.NOTHING),
        ("31/02/1990", QueryKind.NAME),  # no such day: read as words, which find nobody
    ],
)
def test_what_a_query_is_read_as(text: str, kind: QueryKind) -> None:
    assert parse(text).kind == kind


def test_a_date_of_birth_is_read_in_every_style() -> None:
    assert {parse(t).born for t in ("4 March 1990", "04/03/1990", "1990-03-04")} == {
        date(1990, 3, 4)
    }
    assert parse("4 March 2990").kind == QueryKind.NAME  # not a date of birth


# Finding people through the page.


@pytest.mark.parametrize("text", ["kha", "KHAN", "dev kh", "kh dev", "Dev Khan", "  dev   khan "])
def test_any_word_of_the_name_from_its_start(world: World, khan: Person, text: str) -> None:
    assert found(world, text) == ["A001"]


@pytest.mark.parametrize("text", ["han", "dev x", "devk", "khans"])
def test_a_word_is_matched_from_its_start_only(world: World, khan: Person, text: str) -> None:
    assert found(world, text) == []


def test_accents_and_case_are_ignored_both_ways(world: World) -> None:
    name(world, world.person_a, "Zoë", "Ó Briain")
    assert found(world, "zoe") == ["A001"]
    assert found(world, "ZOË o bri") == ["A001"]
    name(world, world.person_a, "Zoe", "O Briain")
    assert found(world, "zoë ó") == ["A001"]


@pytest.mark.parametrize("text", ["999 000 0018", "9990000018", "999-000-0018"])
def test_by_nhs_number_with_or_without_spaces(world: World, text: str) -> None:
    assert found(world, text) == ["A001"]


@pytest.mark.parametrize("text", ["A001", "a001"])
def test_by_client_id(world: World, text: str) -> None:
    assert found(world, text) == ["A001"]


@pytest.mark.parametrize("text", ["4 March 1990", "04/03/1990", "1990-03-04"])
def test_by_date_of_birth(world: World, khan: Person, text: str) -> None:
    assert found(world, text) == ["A001"]
    assert found(world, "5 March 1990") == []


def test_the_results_show_what_identifies_each_person(world: World, khan: Person) -> None:
    page = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(
        reverse("clients:search"), {"q": "khan"}
    )
    html = page.content.decode()
    for value in (
        "Dev Khan",
        "A001",
        "999 000 0018",
        "4 March 1990",
        "Esme A",
        "In work",
    ):  # the world gives A001 a job
        assert value in html, value
    assert reverse("record:person", args=[khan.pk]) in html
    assert "Service A</td>" not in html  # one service: no service column


def test_a_manager_of_several_services_sees_the_service_column(world: World, khan: Person) -> None:
    from openips.organisations.models import Service
    from tests.conftest import make_person

    other = Service.objects.create(organisation=world.org1, code="svc-c", name="Service C")
    es = world.service_a.staff.get(staff_id="ES01")
    person = make_person(other, world.team_a, es, "C001", "")
    name(world, person, "Devi", "Khanna")
    page = signed_in(world.users[Role.SERVICE_MANAGER]).get(
        reverse("clients:search"), {"q": "khan"}
    )
    assert shown(page.content.decode()) == ["A001", "C001"]
    assert "<span>Service A</span></td>" in page.content.decode()
    assert "<span>Service C</span></td>" in page.content.decode()


# Scope: an outsider's people never appear.


@pytest.mark.parametrize(
    "role", [Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.CLINICIAN]
)
def test_only_people_in_scope_are_found(world: World, khan: Person, role: str) -> None:
    assert found(world, "dev khan", role) == ["A001"]
    assert found(world, "B001", role) == []
    assert found(world, "999 000 0026", role) == []


def test_a_reviewer_finds_only_the_service_under_review(world: World, khan: Person) -> None:
    assert found(world, "khan", Role.FIDELITY_REVIEWER) == ["B001"]


def test_an_account_of_another_organisation_finds_nobody_here(world: World, khan: Person) -> None:
    from openips.organisations.models import Service

    elsewhere = Service.objects.create(organisation=world.org2, code="svc-z", name="Service Z")
    outsider = make_user("outsider", Role.EMPLOYMENT_SPECIALIST, service=elsewhere)
    page = signed_in(outsider).get(reverse("clients:search"), {"q": "khan"})
    assert shown(page.content.decode()) == []
    assert "No client you can see matches" in page.content.decode()


def test_a_clinician_sees_the_summary_and_cannot_search_by_birth(
    world: World, khan: Person
) -> None:
    page = signed_in(world.users[Role.CLINICIAN]).get(reverse("clients:search"), {"q": "khan"})
    html = page.content.decode()
    assert "Dev Khan" in html and "999 000 0018" not in html and "4 March 1990" not in html
    assert found(world, "4 March 1990", Role.CLINICIAN) == []


def test_other_roles_are_refused(world: World) -> None:
    for role in (Role.COMMISSIONER, Role.IG_LEAD, Role.ADMINISTRATOR):
        response = signed_in(world.users[role]).get(reverse("clients:search"), {"q": "khan"})
        assert response.status_code == 403


def test_the_header_search_box_is_for_those_who_see_people(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(reverse("accounts:home"))
    assert f'action="{reverse("clients:search")}"' in specialist.content.decode()
    commissioner = signed_in(world.users[Role.COMMISSIONER]).get(reverse("accounts:home"))
    assert reverse("clients:search") not in commissioner.content.decode()


# The audit trail.


def test_a_search_is_audited_without_its_text(world: World, khan: Person) -> None:
    found(world, "dev kh")
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.actor == world.users[Role.EMPLOYMENT_SPECIALIST]
    assert event.changes == {"kind": "name", "results": 1, "more": False}
    assert "dev" not in f"{event.changes} {event.object_label} {event.path}".lower()
    views = AuditEvent.objects.filter(action=AuditAction.VIEW)
    assert list(views.values_list("person_id", flat=True)) == [khan.pk]


def test_an_empty_search_shows_the_form_and_records_nothing(world: World) -> None:
    page = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]).get(reverse("clients:search"))
    assert page.status_code == 200 and "Find a client" in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


# Keeping the index in step.


def keys(person: Person) -> set[tuple[str, str]]:
    return set(SearchKey.objects.filter(person=person).values_list("kind", "term"))


def test_a_save_replaces_the_keys(world: World) -> None:
    name(world, world.person_a, "Dev", "Khan")
    assert (Kind.NAME, "khan") in keys(world.person_a)
    name(world, world.person_a, "Dev", "Patel")
    assert (Kind.NAME, "khan") not in keys(world.person_a)
    assert (Kind.NAME, "patel") in keys(world.person_a)


def test_reindex_brings_bulk_writes_into_step(world: World) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(family_name="Okafor")  # bypasses save
    assert found(world, "okafor") == []
    reindex(Person.objects.filter(pk=world.person_a.pk))
    assert found(world, "okafor") == ["A001"]


def test_anonymising_leaves_no_name_in_the_index(world: World) -> None:
    from openips.clients.models import Episode
    from openips.governance import rights

    name(world, world.person_a, "Dev", "Khan", date(1990, 3, 4))
    Episode.objects.filter(person=world.person_a).update(
        discharge_date=date(2025, 6, 30), discharge_reason="other"
    )
    rights.anonymise(world.users[Role.IG_LEAD], world.person_a, date(2032, 1, 1))
    assert keys(world.person_a) == {(Kind.CLIENT_ID, f"anon{world.person_a.pk}")}


# The index is read, not every person.

GIVEN = ("Amira", "Ben", "Chloe", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo")
FAMILY = ("Adams", "Brown", "Chen", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones")


@pytest.fixture
def crowd(world: World) -> None:
    """Enough people in several services for the planners to choose as they would at scale."""
    from openips.clients.models import Episode
    from openips.organisations.models import Service

    services = [
        Service.objects.create(organisation=world.org2, code=f"svc-{n}", name=f"Service {n}")
        for n in range(8)
    ] + [world.service_a]
    people = Person.objects.bulk_create(
        Person(
            service=services[n % len(services)],
            organisation_id=services[n % len(services)].organisation_id,
            client_id=f"X{n:05d}",
            given_name=GIVEN[n % 10],
            family_name=f"{FAMILY[n // 10 % 10]}{n // 100}",
            nhs_number=f"{n:010d}",
            date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
        )
        for n in range(4000)
    )
    Episode.objects.bulk_create(
        Episode(
            service=p.service,
            person=p,
            episode_id=p.client_id,
            referral_date=date(2025, 1, 6),
            referral_source="self",
            employment_status_at_referral="unemployed",
        )
        for p in people
    )
    reindex(people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(sql: str, params: tuple[object, ...]) -> str:
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.usefixtures("crowd")
@pytest.mark.parametrize("text", ["dev kh", "A001", "4 March 1990", "999 000 0018", "C-12"])
def test_the_search_reads_an_index(world: World, khan: Person, text: str) -> None:
    user = world.users[Role.SERVICE_MANAGER]
    query = search.matching(
        Person.objects.visible_to(user), search.searchable_services(user), parse(text)
    )
    sql, params = query.query.sql_with_params()
    explained = plan(sql, params)
    index = "nhs_number" if parse(text).kind == QueryKind.NHS_NUMBER else "search_key_lookup"
    assert index in explained, explained
    if connection.vendor == "postgresql":
        assert "Seq Scan on clients_person" not in explained, explained
        assert "Seq Scan on clients_searchkey" not in explained, explained
    else:
        assert not re.search(r"SCAN clients_person(?! USING)", explained), explained
        assert not re.search(r"SCAN \w+ USING INDEX search_key", explained), explained


# Every way a person is written keeps the index in step.


def assert_index_in_step() -> None:
    held = set(SearchKey.objects.values_list("person_id", "organisation_id", "kind", "term"))
    expected = {
        (p.pk, p.organisation_id, kind, term)
        for p in Person.objects.all()
        for kind, term in keys_for(p.given_name, p.family_name, p.client_id, p.date_of_birth)
    }
    assert held == expected


def test_a_folder_import_indexes_new_and_changed_people(tmp_path: object, db: None) -> None:
    import shutil
    from pathlib import Path

    from openips.interchange.importer import import_folder
    from tests.interchange.test_import_export import EXAMPLE, edit_csv

    copy = Path(str(tmp_path)) / "data"
    shutil.copytree(EXAMPLE, copy)
    assert import_folder(copy, "EXAMPLE").ok
    assert Person.objects.count() > 100
    assert_index_in_step()
    with (copy / "episodes.csv").open(encoding="utf-8-sig") as handle:
        clients = [line.split(",")[1] for line in handle]
    once = next(n for n, c in enumerate(clients) if n and clients.count(c) == 1)
    edit_csv(copy / "episodes.csv", once + 1, "date_of_birth", "1971-05-06")
    assert import_folder(copy, "EXAMPLE").ok
    assert_index_in_step()
    assert SearchKey.objects.filter(kind=Kind.BORN, term="1971-05-06").exists()


def test_an_api_write_indexes_its_person(world: World) -> None:
    from tests.api.test_writes import NEW_EPISODE, Api

    assert Api(world).post("api:create_episode", NEW_EPISODE).status_code == 201
    assert found(world, "c-new") == ["C-NEW"]
    assert_index_in_step()


def test_a_referral_indexes_the_new_person(world: World) -> None:
    from openips.clients import services

    episode = services.refer_new_person(
        world.users[Role.EMPLOYMENT_SPECIALIST],
        world.service_a,
        {"given_name": "Priya", "family_name": "Shah", "nhs_number": "", "date_of_birth": None},
        {
            "referral_date": date(2025, 4, 1),
            "referral_source": "self",
            "employment_status_at_referral": "unemployed",
        },
    )
    assert found(world, "pri sha") == [episode.person.client_id]
    assert_index_in_step()


def test_the_demo_and_its_national_scale_build_write_the_keys(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openips.demo import scale

    monkeypatch.setitem(scale.SIZES, "tiny", scale.Size(services=2, episodes=40))
    scale.build("tiny", seed=5, today=date(2026, 6, 30))
    assert Person.objects.count() == 40
    assert_index_in_step()


def test_terms_compare_by_code_point_so_a_prefix_is_a_range(world: World) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns"
                " WHERE table_name = 'clients_searchkey' AND column_name = 'term'"
            )
            assert cursor.fetchone() == ("C",)
    name(world, world.person_a, "Zygmunt", "Łaski")
    assert found(world, "zy ł") == ["A001"]
    assert found(world, "z") == ["A001"]
    assert found(world, "ła") == ["A001"]
    assert found(world, "l") == []  # Ł is a letter of its own, not L with a mark


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "x" * 5000, "' OR 1=1 --", "%", "_", "\uffff", "\U0010ffff", "２０２５", "\r\n=1"],
)
def test_hostile_text_finds_nobody_and_fails_nothing(world: World, text: str) -> None:
    assert found(world, text) == []
