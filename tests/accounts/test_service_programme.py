"""The administrator's "Change programme" page, reached from the services list: radios with each
programme's description, the date it applies from, the errors said in the summary, and the
history. Other roles see each service's programme but no link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditEvent
from openips.core.formatting import format_date
from openips.organisations.models import Service, ServiceProgramme
from openips.organisations.programmes import PROGRAMMES
from tests.conftest import World

pytestmark = pytest.mark.django_db


def page_url(world: World) -> str:
    return reverse("accounts:service_programme", args=[world.service_a.pk])


def dated(day: object, **values: str) -> dict[str, object]:
    return {
        "valid_from_day": day.day,  # type: ignore[attr-defined]
        "valid_from_month": day.month,  # type: ignore[attr-defined]
        "valid_from_year": day.year,  # type: ignore[attr-defined]
        **values,
    }


def test_the_services_list_shows_each_programme_and_links_administrators(
    client_for, world: World
) -> None:  # type: ignore[no-untyped-def]
    ServiceProgramme.objects.create(
        service=world.service_a, programme="ips_primary_care", valid_from=timezone.localdate()
    )
    admin = client_for(Role.ADMINISTRATOR).get(reverse("accounts:services")).content.decode()
    assert "IPS in Primary Care" in admin and "IPS in secondary mental health" in admin
    assert page_url(world) in admin and "Change programme" in admin
    leader = client_for(Role.TEAM_LEADER).get(reverse("accounts:services")).content.decode()
    assert "IPS in Primary Care" in leader
    assert "Change programme" not in leader


def test_the_page_offers_every_programme_with_its_description(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.ADMINISTRATOR).get(page_url(world)).content.decode()
    for programme in PROGRAMMES.values():
        assert f'value="{programme.code}"' in page
        assert programme.description in page
    assert "Service A delivers IPS in secondary mental health today" in page
    assert "No programme has been recorded for Service A" in page
    assert "or up to a year from today" in page


def test_saving_records_the_programme_and_the_history_shows_it(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    today = timezone.localdate()
    response = client.post(page_url(world), dated(today, programme="ips_primary_care"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:services")
    row = ServiceProgramme.objects.get()
    assert (row.service, row.programme, row.valid_from) == (
        world.service_a,
        "ips_primary_care",
        today,
    )
    assert AuditEvent.objects.filter(object_type="organisations.serviceprogramme").count() == 1
    ahead = today + timedelta(days=30)
    client.post(page_url(world), dated(ahead, programme="talking_therapies_employment"))
    page = client.get(page_url(world)).content.decode()
    assert "Service A delivers IPS in Primary Care today" in page
    assert "Planned" in page and "In force" in page
    assert format_date(ahead) in page and format_date(today) in page
    assert "Admin, Administrator" in page  # who recorded each


@pytest.mark.parametrize(
    ("values", "messages"),
    [
        (
            {},
            ["Select the programme the service delivers", "Enter the date it applies from"],
        ),
        (
            {
                "programme": "ips_primary_care",
                "valid_from_day": "31",
                "valid_from_month": "2",
                "valid_from_year": "2026",
            },
            ["Date it applies from must be a real date"],
        ),
        (
            {
                "programme": "ips_cobol",
                "valid_from_day": "1",
                "valid_from_month": "4",
                "valid_from_year": "2026",
            },
            ["Select the programme from the list"],
        ),
    ],
)
def test_bad_input_is_said_in_the_error_summary_and_nothing_is_saved(
    client_for, world: World, values: dict[str, str], messages: list[str]
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.ADMINISTRATOR).post(page_url(world), values)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    for message in messages:
        assert message in page
    assert not ServiceProgramme.objects.exists()
    assert not AuditEvent.objects.filter(object_type="organisations.serviceprogramme").exists()


def test_a_date_more_than_a_year_ahead_is_refused(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    far = timezone.localdate() + timedelta(days=400)
    page = (
        client_for(Role.ADMINISTRATOR)
        .post(page_url(world), dated(far, programme="ips_primary_care"))
        .content.decode()
    )
    assert "Date it applies from must be no more than a year from today" in page
    assert not ServiceProgramme.objects.exists()


def test_the_programme_already_in_force_is_said_not_saved(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    page = (
        client_for(Role.ADMINISTRATOR)
        .post(page_url(world), dated(today, programme="ips_smi"))
        .content.decode()
    )
    assert "There is a problem" in page
    assert "Service A already delivers IPS in secondary mental health on that date" in page
    assert not ServiceProgramme.objects.exists()


def test_the_page_and_the_list_run_the_same_queries_however_long_the_history(
    client_for, world: World
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ADMINISTRATOR)
    urls = [page_url(world), reverse("accounts:services")]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    before = counts()
    start = timezone.localdate() - timedelta(days=400)
    for n, code in enumerate(["ips_primary_care", "ips_smi", "talking_therapies_employment"]):
        ServiceProgramme.objects.create(
            service=world.service_a,
            programme=code,
            valid_from=start + timedelta(days=100 * n),
            recorded_by=world.users[Role.ADMINISTRATOR],
        )
        more = Service.objects.create(organisation=world.org2, code=f"x{n}", name=f"X {n}")
        ServiceProgramme.objects.create(service=more, programme=code, valid_from=start)
    assert counts() == before
