"""The measures beyond the first job on the service dashboard, and the long-term outcomes page:
the figures the report gives, a table beside every chart, Hoffmann et al's five-year figures
beside them, and the same queries whatever the size of the service."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openips.accounts.roles import Role
from openips.interchange.importer import import_folder
from openips.outcomes.long_term import build
from openips.outcomes.queries import service_episodes
from tests.conftest import World, signed_in
from tests.factories import EpisodeFactory, HospitalStayFactory, JobFactory, MeasureScoreFactory
from tests.interchange.test_import_export import EXAMPLE

pytestmark = pytest.mark.django_db
AS_OF = "2025-12-31"


def text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def report(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("report", "--service", "svc-a", *args, stdout=out)
    metrics: dict[str, object] = json.loads(out.getvalue())["metrics"]
    return metrics


def test_the_dashboard_shows_work_on_anniversaries_hospital_use_and_measures(
    world: World,
) -> None:
    episode = world.episode(world.person_a)  # accepted on 8 January 2025
    HospitalStayFactory(person=world.person_a)  # 10 nights in October 2024: the year before
    MeasureScoreFactory(episode=episode, date=date(2025, 1, 8), score=Decimal("14"))
    MeasureScoreFactory(episode=episode, date=date(2025, 6, 2), score=Decimal("22"))
    tl = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("outcomes:service", args=[world.service_a.pk])
    shown = text(tl.get(url, {"as_of": "2026-01-31"}).content.decode())
    assert "Beyond the first job, last 12 months" in shown
    # Accepted 8 January 2025: the first year ended on 7 January 2026, inside the 12 months.
    assert "Hospital use before and during IPS: 1 people" in shown
    assert "The year before 1 1 10 The year from acceptance 0 0 0" in shown
    assert "no control group" in shown and "EQOLISE" in shown
    assert "ReQoL-10 (higher is better) 1 14.0 22.0 8.0 1 0" in shown
    # Out of work at referral, and in the job started in March 2025 on the anniversary.
    assert "1 year 1 1 1 100% 2 years 0 0 0 no data" in shown
    assert "See long-term outcomes to 5 years" in shown


def test_the_long_term_page_counts_everyone_who_reached_an_anniversary(world: World) -> None:
    assert import_folder(EXAMPLE, world.service_a.code).ok
    tl = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("outcomes:long_term", args=[world.service_a.pk])
    html = tl.get(url, {"as_of": AS_OF}).content.decode()
    shown = text(html)
    first = min(
        e.referral_date for e in service_episodes(world.users[Role.TEAM_LEADER], world.service_a)
    )
    every = report("--start", first.isoformat(), "--end", AS_OF)["in_work_on_anniversary"]
    for key, label in (("1_year", "1 year"), ("2_years", "2 years"), ("5_years", "5 years")):
        each = every[key]  # type: ignore[index]
        assert f"{label} {each['cohort']} {each['ever_worked']} {each['in_work']}" in shown, key
    assert "Hoffmann et al" in shown and "65%" in shown and "33%" in shown
    charts = re.findall(r'<svg class="app-chart__svg"[^>]*aria-labelledby="([\w-]+)-title', html)
    assert len(charts) == 3  # the anniversaries, time to first job, job tenure
    for chart_id in charts:
        after = html[html.index(f'id="{chart_id}-title"') :]
        assert after.index("<table") < after.index("</svg>") + 3000, chart_id
    assert "Number at risk" in shown
    assert "Hours and pay of job starts by year" in shown and "2024" in shown


def test_hours_and_pay_are_the_medians_of_each_years_job_starts(world: World) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    for start, hours, pay in (
        (date(2023, 5, 1), "10", "11.00"),
        (date(2023, 9, 1), "20", "12.00"),
        (date(2024, 2, 1), "16", "13.50"),
    ):
        JobFactory(
            episode=EpisodeFactory(
                person__service=world.service_a,
                employment_specialist=es,
                referral_date=date(2023, 1, 3),
                accepted_date=date(2023, 1, 4),
            ),
            start_date=start,
            hours_per_week=Decimal(hours),
            hourly_pay=Decimal(pay),
        )
    view = build(
        service_episodes(world.users[Role.TEAM_LEADER], world.service_a), date(2025, 12, 31)
    )
    by_year = {y.year: (y.starts, y.hours_median, y.pay_median) for y in view.years}
    assert by_year[2023] == (2, 15.0, 11.5)
    assert by_year[2024] == (1, 16.0, 13.5)


def test_the_long_term_page_runs_the_same_queries_for_small_and_large_services(
    world: World,
) -> None:
    tl = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("outcomes:long_term", args=[world.service_a.pk])
    tl.get(url)  # settle the session

    def queries_with(extra: int) -> int:
        for _ in range(extra):
            episode = EpisodeFactory(person__service=world.service_a)
            JobFactory(episode=episode)
            HospitalStayFactory(person=episode.person)
        with CaptureQueriesContext(connection) as ctx:
            assert tl.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(2) == queries_with(30)
