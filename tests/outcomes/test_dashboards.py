"""The dashboards on the worked example: figures match the report, every chart has its table,
and each role sees its own scope."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from openips.accounts.roles import Role
from openips.interchange.importer import import_folder
from openips.organisations.models import StaffMember
from tests.conftest import World, signed_in
from tests.interchange.test_import_export import EXAMPLE

AS_OF = "2025-12-31"


@pytest.fixture
def example_in_a(world: World) -> World:
    assert import_folder(EXAMPLE, world.service_a.code).ok
    return world


def page(world: World, role: str, name: str, **kwargs: int) -> str:
    response = signed_in(world.users[role]).get(reverse(name, kwargs=kwargs), {"as_of": AS_OF})
    assert response.status_code == 200
    return response.content.decode()


def test_the_service_dashboard_matches_the_report_and_every_chart_has_its_table(
    example_in_a: World,
) -> None:
    world = example_in_a
    html = page(world, Role.TEAM_LEADER, "outcomes:service", pk=world.service_a.pk)
    out = StringIO()
    call_command(
        "report", "--service", "svc-a", "--start", "2025-01-01", "--end", AS_OF, stdout=out
    )
    year = json.loads(out.getvalue())["metrics"]
    row = re.search(r"Job starts</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", html)
    assert row is not None and int(row.group(2)) == year["job_starts"]
    assert f"{year['out_of_work_into_work']} of {year['out_of_work_served']}" in html
    assert "IPS Grow: 40%" in html and "EQOLISE" in html
    charts = re.findall(r'<svg class="app-chart__svg"[^>]*aria-labelledby="([\w-]+)-title', html)
    assert len(charts) == 6  # three trends, the funnel, two survival curves
    for chart_id in charts:
        after = html[html.index(f'id="{chart_id}-title"') :]
        assert after.index("<table") < after.index("</svg>") + 3000, chart_id
    for es in ("ES01", "ES02", "ES03"):
        assert f'<td class="nhsuk-table__cell">{es}</td>' in html
    assert "By age band" in html and "By ethnicity" in html


def test_an_employment_specialist_sees_their_own_caseload(example_in_a: World) -> None:
    world = example_in_a
    es = StaffMember.objects.get(service=world.service_a, staff_id="ES02")
    es.user = world.users[Role.EMPLOYMENT_SPECIALIST]
    es.save()
    html = page(world, Role.EMPLOYMENT_SPECIALIST, "outcomes:index")
    assert "Your outcomes" in html
    assert "Employment specialists compared" not in html  # no funnel of colleagues
    out = StringIO()
    call_command(
        "report",
        "--service",
        "svc-a",
        "--start",
        "2025-01-01",
        "--end",
        AS_OF,
        "--by",
        "employment_specialist",
        stdout=out,
    )
    mine = json.loads(out.getvalue())["breakdowns"]["employment_specialist"]["ES02"]
    row = re.search(r"Referrals received</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", html)
    assert row is not None and int(row.group(2)) == mine["referrals_received"]


def test_the_network_view_hides_small_numbers(example_in_a: World) -> None:
    world = example_in_a
    html = page(world, Role.COMMISSIONER, "outcomes:network")
    assert "Service A" in html and "Service B" in html
    body = html[html.index("Services side by side") :]
    service_b = body[body.index("Service B") : body.index("</tr>", body.index("Service B"))]
    # Service B has one episode: every count of 1 is hidden, and so are its rates.
    assert ">1<" not in service_b and "*" in service_b
    numbers = [int(n) for n in re.findall(r"numeric\">(\d+)<", body)]
    assert all(n == 0 or n % 5 == 0 for n in numbers)
    assert "Incomplete: no contacts in" in service_b


def test_completeness_probes_each_service_month_and_reads_no_contact_rows(world: World) -> None:
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openips.organisations.models import Service
    from openips.outcomes.metrics import Period
    from openips.outcomes.network import completeness

    period = Period(date(2025, 1, 1), date(2025, 3, 31))
    with CaptureQueriesContext(connection) as ctx:
        missing = completeness(Service.objects.all(), period)
    assert missing == {
        world.service_a.pk: [date(2025, 2, 1), date(2025, 3, 1)],
        world.service_b.pk: [date(2025, 2, 1), date(2025, 3, 1)],
    }
    (query,) = [q["sql"] for q in ctx.captured_queries]
    assert query.count("EXISTS") == 3  # one probe a month, answered from the (service, date) index
    assert '"casework_contact"."id"' not in query.split("FROM")[0]  # no contact rows come back


def test_the_monthly_trends_count_as_the_metrics_do_month_by_month(example_in_a: World) -> None:
    from datetime import date

    from openips.clients.models import Episode
    from openips.outcomes.dashboard import monthly_series, months_back
    from openips.outcomes.metrics import Period, outcome_metrics
    from openips.outcomes.report import Facts

    as_of = date(2025, 12, 17)  # mid-month: the last month ends early
    facts = Facts(Episode.objects.all(), Period(date(2024, 12, 18), as_of))
    months = months_back(as_of, 24)
    series = monthly_series(facts, months)
    each = [outcome_metrics(facts.episodes, facts.jobs, m) for m in months]
    assert series["job_starts"] == [m["job_starts"] for m in each]
    assert series["referrals_received"] == [m["referrals_received"] for m in each]
    waits = [m["days_to_first_employer_contact"]["mean"] for m in each]
    assert series["days_to_first_employer_contact"] == waits
    assert sum(series["job_starts"]) > 0 and any(w is not None for w in waits)


def test_the_trends_on_the_dashboard_have_no_limit_below_zero(example_in_a: World) -> None:
    from datetime import date

    from openips.clients.models import Episode
    from openips.outcomes.dashboard import trends
    from openips.outcomes.metrics import Period
    from openips.outcomes.report import Facts

    as_of = date(2025, 12, 31)
    found = trends(Facts(Episode.objects.all(), Period(date(2025, 1, 1), as_of)), as_of)
    charts = [t.chart for t in found if t.chart]
    assert len(charts) == 3
    for chart in charts:
        assert chart.lower >= 0 and chart.near_lower >= 0
    # The example's monthly job starts vary enough that the sums alone would go below 0.
    starts = next(t for t in found if t.key == "job_starts")
    assert starts.chart is not None and starts.chart.lower == 0


def test_the_dashboards_quarter_is_the_financial_years(example_in_a: World) -> None:
    html = page(example_in_a, Role.TEAM_LEADER, "outcomes:service", pk=example_in_a.service_a.pk)
    assert "This quarter, 2025/26 Q3 (1 October 2025 to 31 December 2025)" in html
