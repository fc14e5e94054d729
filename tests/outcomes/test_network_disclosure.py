"""The commissioner's page reveals nothing its table hides: the funnel's SVG, read back and its
geometry inverted, gives only the shown figures; two networks whose exact counts differ but whose
table is the same get the same chart; and the period runs only to month ends (ADR 0014)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from openips.employment.models import Job
from openips.organisations.models import Service
from openips.outcomes import funnel, network
from openips.outcomes.metrics import Period
from tests.conftest import World, signed_in

END = date(2025, 12, 31)
PERIOD = Period(date(2025, 1, 1), END)


def populate(service: Service, served: int, into_work: int, tag: str) -> None:
    """`served` people out of work and engaged in 2025, the first `into_work` of them in work."""
    for n in range(served):
        person = Person.objects.create(service=service, client_id=f"{tag}-{n}")
        episode = Episode.objects.create(
            service=service,
            person=person,
            episode_id=f"{tag}-{n}",
            referral_date=date(2025, 2, 3),
            referral_source="self",
            employment_status_at_referral="unemployed",
            accepted_date=date(2025, 2, 10),
            vocational_profile_date=date(2025, 2, 20),
        )
        if n < into_work:
            Job.objects.create(
                service=service,
                episode=episode,
                job_id=f"{tag}-{n}",
                job_title="Porter",
                start_date=date(2025, 6, 2),
                start_confirmed=True,
                competitive=True,
            )


def forget(tag: str) -> None:
    Job.objects.filter(job_id__startswith=tag).delete()
    Episode.objects.filter(episode_id__startswith=tag).delete()
    Person.objects.filter(client_id__startswith=tag).delete()


@pytest.fixture
def services(world: World) -> dict[str, Service]:
    """Service A and B of the world (one referral each), and three more in the same network."""
    found = {"A": world.service_a, "B": world.service_b}
    for key, org in (("C", world.org1), ("D", world.org2), ("E", world.org1)):
        found[key] = Service.objects.create(
            organisation=org, code=f"svc-{key.lower()}", name=f"Service {key}"
        )
    return found


# Served and into work in each service. A and C are shown rounded (43 → 45, 17 → 15, …); D and
# E withheld. The second network differs in every exact count but shows the same table.
FIRST = {"A": (43, 16), "C": (46, 12), "D": (5, 2), "E": (6, 3)}
SECOND = {"A": (44, 14), "C": (47, 11), "D": (4, 4), "E": (5, 5)}


def build(services: dict[str, Service], counts: dict[str, tuple[int, int]], tag: str) -> None:
    for key, (served, into_work) in counts.items():
        populate(services[key], served, into_work, f"{tag}{key}")


def page(world: World, as_of: str) -> str:
    response = signed_in(world.users[Role.COMMISSIONER]).get(
        reverse("outcomes:network"), {"as_of": as_of}
    )
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at) + len(end)]


class Svg(HTMLParser):
    """Every element of the chart's figure: its tag, attributes and the text directly in it."""

    def __init__(self, figure: str) -> None:
        super().__init__()
        self.elements: list[dict[str, str]] = []
        self.open: list[dict[str, str]] = []
        self.feed(figure)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {k: v or "" for k, v in attrs} | {"tag": tag, "text": ""}
        self.elements.append(element)
        self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append({k: v or "" for k, v in attrs} | {"tag": tag, "text": ""})

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1]["text"] += data.strip()

    def of(self, tag: str, css: str = "") -> list[dict[str, str]]:
        return [e for e in self.elements if e["tag"] == tag and css in e.get("class", "")]


def read_svg(html: str) -> Svg:
    return Svg(between(html, '<figure class="app-chart">', "</figure>"))


def shown_table(html: str) -> dict[str, list[str]]:
    """Each row of the services table as shown: name → its cells."""
    body = between(html, "Services side by side", "</table>")
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>(.*?)</tr>', body, re.S)
    return {name: re.findall(r"<td[^>]*>([^<]*)</td>", cells) for name, cells in rows}


def linear(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """The (slope, intercept) through two of the (pixel, value) ticks, checked on the rest."""
    (p0, v0), (p1, v1) = pairs[0], pairs[-1]
    slope = (v1 - v0) / (p1 - p0)
    for p, v in pairs:
        assert v == pytest.approx(v0 + slope * (p - p0), abs=0.02)
    return slope, v0 - slope * p0


def test_the_funnel_read_back_gives_only_the_figures_the_table_shows(
    world: World, services: dict[str, Service]
) -> None:
    build(services, FIRST, "F")
    exact = network.service_rows(list(Service.objects.order_by("pk")), PERIOD)
    assert sorted(r["out_of_work_served"] for r in exact) == [0, 5, 6, 43, 46]
    html = page(world, END.isoformat())
    table = shown_table(html)
    # Served and into work, as the table shows them (columns 2 and 3).
    shown = {name: (cells[1], cells[2]) for name, cells in table.items()}
    assert shown["Service A"] == ("45", "15") and shown["Service C"] == ("45", "10")
    assert shown["Service D"] == ("*", "*") and shown["Service E"] == ("*", "*")
    services_shown = {n: v for n, v in shown.items() if n != "Network"}
    plotted = {n: (int(s), int(i)) for n, (s, i) in services_shown.items() if s.isdigit()}
    plotted = {n: v for n, v in plotted.items() if v[0]}
    assert set(plotted) == {"Service A", "Service C"}

    svg = read_svg(html)
    ticks = [(e, e["text"]) for e in svg.of("text", "app-chart__tick")]
    y_ticks = [(float(e["y"]) - 4, int(t[:-1]) / 100) for e, t in ticks if t.endswith("%")]
    x_ticks = [(float(e["x"]), float(t.replace(",", ""))) for e, t in ticks if t[-1] != "%"]
    assert len(y_ticks) == 5 and len(x_ticks) >= 2
    to_n, to_rate = linear(x_ticks), linear(y_ticks)

    def n_at(x: str) -> float:
        return to_n[0] * float(x) + to_n[1]

    def rate_at(y: str) -> float:
        return to_rate[0] * float(y) + to_rate[1]

    # Each point sits at its service's shown number served and the rate of its shown counts.
    markers = svg.of("circle")
    assert len(markers) == len(plotted)
    titles = [e["text"] for e in svg.of("title")][1:]  # after the chart's own: the markers'
    for marker, title in zip(markers, titles, strict=True):
        name, percent = title.rsplit(": ", 1)
        served, into = plotted[name]
        assert n_at(marker["cx"]) == pytest.approx(served, abs=0.1)
        assert rate_at(marker["cy"]) == pytest.approx(into / served, abs=0.002)
        assert percent == f"{into / served:.0%}"

    # The overall line is the shown rate; each curve rests on it and reaches the largest shown n.
    p = sum(i for _, i in plotted.values()) / sum(s for s, _ in plotted.values())
    (mean,) = svg.of("polyline", "--mean")
    assert all(
        rate_at(pt.split(",")[1]) == pytest.approx(p, abs=0.002) for pt in mean["points"].split()
    )
    n_max = max(s for s, _ in plotted.values())
    curves = svg.of("polyline", "--near") + svg.of("polyline", "--limit")
    assert len(curves) == 4
    for curve, (coverage, side) in zip(
        curves, [(0.95, 0), (0.95, 1), (0.998, 0), (0.998, 1)], strict=True
    ):
        points = [pt.split(",") for pt in curve["points"].split()]
        assert max(n_at(x) for x, _ in points) == pytest.approx(n_max, abs=0.1)
        for x, y in points:
            n = round(n_at(x))
            assert rate_at(y) == pytest.approx(funnel.limits(p, n, coverage)[side], abs=0.003)

    # No number anywhere in the chart's text (titles, description, ticks, aria) is an exact
    # figure the table rounds or withholds.
    words = " ".join(
        v for e in svg.elements for k, v in e.items() if k == "text" or k.startswith("aria")
    ).replace("12 months to 31 December 2025", "")
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", words)}
    # The exact counts of A, C, D and E, and A's and C's exact rates (16/43 37%, 12/46 26%).
    hidden = {43.0, 46.0, 16.0, 12.0, 5.0, 6.0, 2.0, 3.0, 37.0, 26.0}
    scales = {t for _, t in x_ticks} | {0.0, 25.0, 50.0, 75.0, 100.0}
    assert numbers & hidden <= scales and "37%" not in words and "26%" not in words
    assert "Service D" not in words and "Service E" not in words


def test_networks_with_the_same_table_get_the_same_chart(
    world: World, services: dict[str, Service]
) -> None:
    pages = []
    for counts, tag in ((FIRST, "F"), (SECOND, "S")):
        build(services, counts, tag)
        pages.append(page(world, END.isoformat()))
        forget(tag)
    first, second = pages
    exact = {r["out_of_work_served"] for r in network.service_rows([services["A"]], PERIOD)}
    assert exact == {0}  # both networks gone again: the pages were each of their own
    # The same table (so the comparison means something) …
    assert shown_table(first) == shown_table(second)
    # … and so the same chart, and the same table of the chart's data.
    assert between(first, "<figure", "</figure>") == between(second, "<figure", "</figure>")
    data = ("Employment rate by service: the data", "</table>")
    assert between(first, *data) == between(second, *data)


def test_stepping_the_day_is_snapped_to_the_month_end_before_it(
    world: World, services: dict[str, Service]
) -> None:
    build(services, FIRST, "F")
    # One person's job starts on 15 December: days either side must not tell it apart.
    episode = Episode.objects.get(episode_id="FC-40")
    Job.objects.create(
        service=services["C"],
        episode=episode,
        job_id="late",
        job_title="Porter",
        start_date=date(2025, 12, 15),
        start_confirmed=True,
        competitive=True,
    )
    before, on = page(world, "2025-12-14"), page(world, "2025-12-15")
    main = ("<h1>", "</main>")
    assert between(before, *main) == between(on, *main)
    assert "1 December 2024 to 30 November 2025" in on
    assert re.search(r'<option value="2025-11-30" selected', on)
    # A month end is taken as it is; the select offers only month ends that have passed.
    december = page(world, "2025-12-31")
    assert "1 January 2025 to 31 December 2025" in december
    options = [date.fromisoformat(v) for v in re.findall(r'<option value="([\d-]+)"', december)]
    assert all((d + timedelta(days=1)).day == 1 for d in options)
    today = timezone.localdate()
    assert options[0] == network.period_end(today, today)
    assert network.period_end(date(2026, 12, 31), date(2026, 12, 2)) == date(2026, 11, 30)
    assert network.year_to(date(2024, 2, 29)) == Period(date(2023, 3, 1), date(2024, 2, 29))
