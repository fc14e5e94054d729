"""The clients list and the caseloads: filters, sortable columns, the service column, and
links that keep the address's filters."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from openips.core.tables import ListState
from openips.employment.models import Job
from openips.organisations.models import Service, StaffMember, StaffRole
from tests.conftest import World, make_person, signed_in
from tests.factories import JobFactory


def names(html: str) -> list[str]:
    """The client ids of the people a list links to, in order."""
    pks = [int(pk) for pk in re.findall(r'href="/clients/(\d+)/"', html)]
    ids = dict(Person.objects.filter(pk__in=pks).values_list("pk", "client_id"))
    return [ids[pk] for pk in pks]


def get(world: World, name: str, role: str = Role.TEAM_LEADER, **params: str) -> str:
    response = signed_in(world.users[role]).get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.fixture
def three(world: World) -> dict[str, Person]:
    """A001 accepted (Esme A's), R002 only referred, D003 discharged, and a second specialist."""
    other = StaffMember.objects.create(
        service=world.service_a,
        staff_id="ES02",
        name="Ola Other",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
    )
    es = world.service_a.staff.get(staff_id="ES01")
    referred = make_person(world.service_a, world.team_a, other, "R002", "")
    Episode.objects.filter(person=referred).update(accepted_date=None, employment_specialist=other)
    discharged = make_person(world.service_a, world.team_a, es, "D003", "")
    Episode.objects.filter(person=discharged).update(
        discharge_date=date(2025, 3, 1), discharge_reason="other"
    )
    return {"accepted": world.person_a, "referred": referred, "discharged": discharged}


# Pure: the links a list makes.


def test_a_heading_sorts_by_its_column_then_reverses_it() -> None:
    state = ListState({"stage": "job_seeking", "service": ""}, "name", False, "name")
    assert state.sort_href("stage") == "?stage=job_seeking&sort=stage&dir=asc"
    assert state.sort_href("name") == "?stage=job_seeking&sort=name&dir=desc"
    assert (state.aria_sort("name"), state.aria_sort("stage")) == ("ascending", "none")
    assert state.page_query == "stage=job_seeking"
    reversed_ = ListState({}, "stage", True, "name")
    assert reversed_.sort_href("stage") == "?sort=stage&dir=asc"
    assert reversed_.page_query == "sort=stage&dir=desc"
    assert reversed_.aria_sort("stage") == "descending" and not reversed_.filtered


# The clients list.


def test_the_clients_list_filters_by_stage_and_specialist(world: World, three: dict) -> None:
    assert names(get(world, "clients:list")) == ["A001", "D003", "R002"]
    assert names(get(world, "clients:list", stage="referred")) == ["R002"]
    assert names(get(world, "clients:list", stage="discharged")) == ["D003"]
    assert names(get(world, "clients:list", stage="in_work")) == ["A001"]  # the world's job
    assert names(get(world, "clients:list", stage="accepted")) == []
    ola = StaffMember.objects.get(name="Ola Other")
    assert names(get(world, "clients:list", specialist=str(ola.pk))) == ["R002"]
    page = get(world, "clients:list", stage="job_seeking")
    assert "No client you can see matches these filters" in page
    assert 'href="/clients/"' in page and "Clear filters" in page and "Apply filters" in page


def test_one_vocabulary_of_stages_on_the_list_the_caseload_and_the_record(
    world: World, three: dict
) -> None:
    """A001 with a job that has not ended is "In work" wherever their episode's stage shows."""
    episode = world.episode(world.person_a)
    Episode.objects.filter(pk=episode.pk).update(vocational_profile_date=date(2025, 1, 20))
    Job.objects.filter(episode=episode).update(end_date=date(2025, 3, 31), end_reason="resigned")
    assert names(get(world, "clients:list", stage="job_seeking")) == ["A001"]
    JobFactory(episode=episode, start_date=date(2025, 4, 7))
    assert names(get(world, "clients:list", stage="in_work")) == ["A001"]
    assert names(get(world, "clients:list", stage="job_seeking")) == []
    assert names(get(world, "clients:list", sort="stage")) == ["R002", "A001", "D003"]
    for page in (
        get(world, "clients:list"),
        get(world, "casework:team_caseload"),
        signed_in(world.users[Role.TEAM_LEADER])
        .get(reverse("record:person", args=[world.person_a.pk]))
        .content.decode(),
    ):
        assert "In work" in page and "Engaged" not in page


def test_the_clients_list_sorts_by_any_column_either_way(world: World, three: dict) -> None:
    assert names(get(world, "clients:list", sort="name", dir="desc")) == ["R002", "D003", "A001"]
    assert names(get(world, "clients:list", sort="stage")) == ["R002", "A001", "D003"]
    assert names(get(world, "clients:list", sort="client_id", dir="desc")) == [
        "R002",
        "D003",
        "A001",
    ]
    page = get(world, "clients:list", sort="stage")
    assert 'aria-sort="ascending"' in page and "sort=stage&amp;dir=desc" in page


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nhs_number"},
        {"dir": "sideways"},
        {"stage": "engaged"},
        {"specialist": "999999"},
        {"stage": "<script>"},
    ],
)
def test_a_value_the_list_does_not_offer_is_a_bad_request(world: World, params: dict) -> None:
    response = signed_in(world.users[Role.TEAM_LEADER]).get(reverse("clients:list"), params)
    assert response.status_code == 400
    assert "Go back and try again" in response.content.decode()


def test_a_filter_with_nothing_to_choose_is_not_offered(world: World) -> None:
    page = get(world, "clients:list", service=str(world.service_b.pk))
    assert 'name="service"' not in page and names(page) == ["A001"]


def test_someone_elses_specialist_cannot_be_chosen(world: World) -> None:
    elsewhere = world.service_b.staff.get(staff_id="ES01")
    response = signed_in(world.users[Role.TEAM_LEADER]).get(
        reverse("clients:list"), {"specialist": str(elsewhere.pk)}
    )
    assert response.status_code == 400


def test_a_manager_of_two_services_sees_and_filters_the_service(world: World) -> None:
    other = Service.objects.create(organisation=world.org1, code="svc-c", name="Service C")
    es = world.service_a.staff.get(staff_id="ES01")
    make_person(other, world.team_a, es, "C001", "")
    page = get(world, "clients:list", Role.SERVICE_MANAGER)
    assert names(page) == ["A001", "C001"]
    assert "<span>Service C</span></td>" in page and "All services" in page
    assert names(get(world, "clients:list", Role.SERVICE_MANAGER, service=str(other.pk))) == [
        "C001"
    ]
    assert names(get(world, "clients:list", Role.SERVICE_MANAGER, sort="service", dir="desc")) == [
        "C001",
        "A001",
    ]
    assert "<span>Service A</span></td>" not in get(world, "clients:list")  # one service: no column


def test_the_pages_of_a_filtered_list_keep_its_filters(world: World) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    for n in range(55):
        make_person(world.service_a, world.team_a, es, f"P{n:03d}", "")
    page = get(world, "clients:list", stage="accepted", sort="client_id", dir="desc")
    assert "?stage=accepted&amp;sort=client_id&amp;dir=desc&amp;page=2" in page
    second = get(world, "clients:list", stage="accepted", sort="client_id", dir="desc", page="2")
    assert names(second) == ["P004", "P003", "P002", "P001", "P000"]  # A001 is in work


# The caseloads.


def test_the_team_caseload_filters_and_sorts(world: World, three: dict) -> None:
    assert names(get(world, "casework:team_caseload", sort="client")) == ["A001", "R002"]
    assert names(get(world, "casework:team_caseload", stage="referred")) == ["R002"]
    assert names(get(world, "casework:team_caseload", stage="in_work")) == ["A001"]  # the job
    ola = StaffMember.objects.get(name="Ola Other")
    assert names(get(world, "casework:team_caseload", specialist=str(ola.pk))) == ["R002"]
    assert names(get(world, "casework:team_caseload", sort="client", dir="desc")) == [
        "R002",
        "A001",
    ]
    assert names(get(world, "casework:team_caseload", sort="specialist")) == ["A001", "R002"]
    page = get(world, "casework:team_caseload", stage="accepted")
    assert "No open episode matches these filters" in page
    assert 'href="/casework/caseload/team/"' in page  # clear filters


def test_my_caseload_offers_no_specialist_filter(world: World, three: dict) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    es.user = world.users[Role.EMPLOYMENT_SPECIALIST]
    es.save()
    page = get(world, "casework:caseload", Role.EMPLOYMENT_SPECIALIST, sort="stage")
    assert names(page) == ["A001"]
    assert 'name="specialist"' not in page and 'name="stage"' in page
    # A filter a list does not offer is ignored, as is any other unknown parameter.
    assert names(get(world, "casework:caseload", Role.EMPLOYMENT_SPECIALIST, specialist="1")) == [
        "A001"
    ]


def test_a_bad_caseload_sort_is_a_bad_request(world: World) -> None:
    client = signed_in(world.users[Role.TEAM_LEADER])
    assert client.get(reverse("casework:team_caseload"), {"sort": "name"}).status_code == 400
    assert client.get(reverse("casework:team_caseload"), {"dir": "up"}).status_code == 400


def test_the_service_shown_and_filtered_is_the_latest_episodes(world: World) -> None:
    """A person known to one service and referred to another of the trust's since is listed
    with the service of their latest episode."""
    from datetime import date

    from openips.clients.models import Episode

    other = Service.objects.create(organisation=world.org1, code="svc-c", name="Service C")
    Episode.objects.create(
        service=other,
        person=world.person_a,
        episode_id="A001-2",
        referral_date=date(2025, 6, 1),
        referral_source="self",
        employment_status_at_referral="unemployed",
    )
    make_person(
        world.service_a, world.team_a, world.service_a.staff.get(staff_id="ES01"), "A009", ""
    )
    page = get(world, "clients:list", Role.SERVICE_MANAGER, service=str(other.pk))
    assert names(page) == ["A001"]
    assert "<span>Service C</span></td>" in page
    at_a = get(world, "clients:list", Role.SERVICE_MANAGER, service=str(world.service_a.pk))
    assert names(at_a) == ["A009"]
