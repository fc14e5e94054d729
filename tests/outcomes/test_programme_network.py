"""The commissioner's network view compares like with like: each funnel holds the services of
one programme, read on the period's last day (ADR 0033), and the table names each service's
programme; small numbers are hidden as before, and the page's queries do not grow with the
number of services."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openips.accounts.roles import Role
from openips.organisations.models import Service, ServiceProgramme
from openips.outcomes import network
from tests.conftest import World, signed_in
from tests.outcomes.test_network_disclosure import END, Svg, populate, shown_table

pytestmark = pytest.mark.django_db


def services(world: World, count: int, start: int = 0) -> list[Service]:
    return [
        Service.objects.create(organisation=world.org1, code=f"svc-p{n}", name=f"Service P{n}")
        for n in range(start, start + count)
    ]


def deliver(service: Service, code: str, day: date) -> None:
    ServiceProgramme.objects.create(service=service, programme=code, valid_from=day)


def page(world: World) -> str:
    response = signed_in(world.users[Role.COMMISSIONER]).get(
        reverse("outcomes:network"), {"as_of": END.isoformat()}
    )
    assert response.status_code == 200
    return response.content.decode()


def funnels(html: str) -> dict[str, list[str]]:
    """Each funnel's programme (its heading) and the services its markers name."""
    found = {}
    body = html[html.index("<h2>Employment rate by service</h2>") :]
    for section in re.split(r"<h3>", body)[1:]:
        name = section[: section.index("</h3>")]
        if '<figure class="app-chart">' not in section:
            found[name] = []
            continue
        figure = section[section.index("<figure") : section.index("</figure>")]
        titles = [e["text"] for e in Svg(figure).of("title")][1:]  # the markers'
        found[name] = sorted(t.rsplit(": ", 1)[0] for t in titles)
    return found


def test_each_funnel_holds_only_the_services_of_its_programme(world: World) -> None:
    p0, p1, p2 = services(world, 3)
    for service, (served, into) in zip(
        (world.service_a, p0, p1, p2), ((43, 16), (46, 12), (30, 9), (25, 10)), strict=True
    ):
        populate(service, served, into, service.code)
    deliver(p1, "ips_primary_care", date(2024, 4, 1))
    deliver(p2, "ips_primary_care", date(2025, 12, 31))  # on the period's last day: counts
    deliver(p0, "ips_primary_care", date(2026, 1, 1))  # the day after: still IPS in SMI
    html = page(world)
    assert funnels(html) == {
        "IPS in secondary mental health": ["Service A", "Service P0"],
        "IPS in Primary Care": ["Service P1", "Service P2"],
    }
    # Service B (one person) is withheld: left out of its own programme's funnel, saying so.
    smi = html[
        html.index("<h3>IPS in secondary mental health</h3>") : html.index(
            "<h3>IPS in Primary Care</h3>"
        )
    ]
    assert "Not shown because their numbers are too small: Service B." in smi
    assert "Service B" not in html[html.index("<h3>IPS in Primary Care</h3>") :]
    # The table names each service's programme, after the figures as before.
    table = shown_table(html)
    assert table["Service P2"][-2] == "IPS in Primary Care"
    assert table["Service P0"][-2] == "IPS in secondary mental health"
    assert table["Network"][-2] == ""
    assert table["Service A"][1:3] == ["45", "15"]  # shown rounded, as ever


def test_each_funnels_overall_rate_is_of_its_own_services_shown_counts(world: World) -> None:
    (p0,) = services(world, 1)
    populate(world.service_a, 43, 16, "A")
    populate(p0, 46, 12, "P")
    deliver(p0, "ips_primary_care", date(2024, 4, 1))
    view = network.build(Service.objects.order_by("name"), END)
    smi, primary = view.funnels
    assert (smi.programme.code, primary.programme.code) == ("ips_smi", "ips_primary_care")
    assert smi.overall == pytest.approx(15 / 45)  # Service A as shown; B withheld
    assert primary.overall == pytest.approx(10 / 45)  # P0 as shown: 12 → 10, 46 → 45
    assert smi.left_out == ["Service B"] and primary.left_out == []
    assert [p.code for p in view.programmes] == ["ips_smi", "ips_smi", "ips_primary_care"]


def test_a_network_of_one_programme_has_one_funnel(world: World) -> None:
    populate(world.service_a, 43, 16, "A")
    html = page(world)
    assert list(funnels(html)) == ["IPS in secondary mental health"]


def queries_of_the_page(world: World) -> int:
    client = signed_in(world.users[Role.COMMISSIONER])
    url = reverse("outcomes:network")
    client.get(url, {"as_of": END.isoformat()})  # settle the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"as_of": END.isoformat()}).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_queries_for_more_services_and_programmes(world: World) -> None:
    (p0,) = services(world, 1)
    populate(p0, 10, 3, "S0")
    few = queries_of_the_page(world)
    more = services(world, 6, start=1)
    for n, (service, code) in enumerate(
        zip(more, ["ips_primary_care", "talking_therapies_employment"] * 3, strict=True)
    ):
        populate(service, 10 + n, 3, f"M{n}")
        deliver(service, code, date(2024, 4, 1))
        deliver(service, "ips_smi", date(2025, 6, 1))
        deliver(service, code, date(2025, 9, 1))
    assert queries_of_the_page(world) == few
    assert len(funnels(page(world))) == 3
