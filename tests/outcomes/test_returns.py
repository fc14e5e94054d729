"""Quarterly returns: the same figures as the report, suppressed for commissioners, formula-safe,
streamed and audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.core.params import Quarter, calendar_quarter, parse_quarter
from openips.interchange.importer import import_folder
from openips.organisations.services import set_programme
from openips.outcomes.returns import recent_quarters, rounded_rate
from tests.conftest import World, signed_in
from tests.interchange.test_import_export import EXAMPLE


@pytest.fixture
def example_in_a(world: World) -> World:
    assert import_folder(EXAMPLE, world.service_a.code).ok
    return world


def download(
    world: World, role: str, kind: str, fmt: str = "csv", quarter: str = "2024-25-Q4"
) -> list[dict[str, str]]:
    url = reverse("outcomes:return_download", args=[kind, quarter, fmt])
    response = signed_in(world.users[role]).get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        lines = [
            ["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)
        ]  # type: ignore[union-attr]
        return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_quarters_are_those_of_the_financial_year() -> None:
    q1 = Quarter.containing(date(2026, 4, 1))
    assert (q1.label, q1.slug) == ("2026/27 Q1", "2026-27-Q1")
    assert (q1.start, q1.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert Quarter.containing(date(2026, 6, 30)) == q1
    q4 = Quarter.containing(date(2027, 1, 1))  # January to March: Q4 of the year before
    assert (q4.label, q4.start, q4.end) == ("2026/27 Q4", date(2027, 1, 1), date(2027, 3, 31))
    assert Quarter.containing(date(2027, 3, 31)) == q4
    assert Quarter.containing(date(2026, 3, 31)).label == "2025/26 Q4"
    q3 = Quarter.containing(date(2026, 12, 31))
    assert (q3.label, q3.start, q3.end) == ("2026/27 Q3", date(2026, 10, 1), date(2026, 12, 31))
    assert q4.following() == Quarter(2027, 1) and q1.previous() == Quarter(2025, 4)
    assert Quarter(1999, 4).label == "1999/00 Q4"
    assert parse_quarter("2026-27-Q1") == q1 and parse_quarter("1999-00-Q4") == Quarter(1999, 4)
    # The older calendar names are the same three months under the financial year's name.
    assert calendar_quarter("2025-Q1") == Quarter(2024, 4)
    assert calendar_quarter("2025-Q2") == Quarter(2025, 1)
    assert calendar_quarter("2026-27-Q1") is None


def test_the_quarters_offered_run_back_from_today() -> None:
    today = date(2026, 5, 10)
    assert [q.label for q in recent_quarters(today, 3)] == [
        "2026/27 Q1",
        "2025/26 Q4",
        "2025/26 Q3",
    ]
    ended = recent_quarters(today, 2, ended_only=True)
    assert [q.label for q in ended] == ["2025/26 Q4", "2025/26 Q3"]


def test_rates_are_rounded_for_people() -> None:
    assert rounded_rate(8 / 44) == 0.182
    assert rounded_rate(1 / 16) == 0.063  # half up, as on paper (0.0625)
    assert rounded_rate(2 / 3) == 0.667 and rounded_rate(1.0) == 1.0


def test_the_primary_care_return_has_the_reports_job_outcomes(example_in_a: World) -> None:
    assert download(example_in_a, Role.COMMISSIONER, "ips-primary-care") == []  # none yet
    page = signed_in(example_in_a.users[Role.TEAM_LEADER]).get(reverse("outcomes:returns"))
    assert "whose programme, on the quarter's last day, counts job outcomes" in (
        page.content.decode()
    )
    admin = example_in_a.users[Role.ADMINISTRATOR]
    set_programme(admin, example_in_a.service_a, "ips_primary_care", date(2024, 4, 1))
    rows = download(example_in_a, Role.TEAM_LEADER, "ips-primary-care")
    out = StringIO()
    call_command(
        "report", "--service", "svc-a", "--start", "2025-01-01", "--end", "2025-03-31", stdout=out
    )
    metrics = json.loads(out.getvalue())["metrics"]
    (row,) = rows
    assert int(row["job_outcomes"]) == metrics["job_outcomes"]["outcomes"] == 6
    assert int(row["job_outcomes_16_hours"]) == metrics["job_outcomes"]["outcomes_16_hours"]
    for key in ("referrals_received", "job_starts", "caseload_open_at_end", "discharges"):
        assert int(row[key]) == metrics[key], key


def test_the_ips_grow_return_has_the_reports_figures_and_is_audited(example_in_a: World) -> None:
    rows = download(example_in_a, Role.TEAM_LEADER, "ips-grow")
    out = StringIO()
    call_command(
        "report", "--service", "svc-a", "--start", "2025-01-01", "--end", "2025-03-31", stdout=out
    )
    metrics = json.loads(out.getvalue())["metrics"]
    (row,) = rows
    assert row["service_code"] == "svc-a"
    for key in ("referrals_received", "job_starts", "out_of_work_served", "discharges"):
        assert int(row[key]) == metrics[key], key
    rate = metrics["employment_rate_out_of_work"]
    assert float(row["employment_rate_out_of_work"]) == pytest.approx(rate, abs=0.0005)
    assert len(row["employment_rate_out_of_work"]) <= 5  # 3 places, not 17 digits
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == example_in_a.users[Role.TEAM_LEADER]
    assert event.changes["rows"] == 1 and event.changes["small numbers hidden"] is False


def test_the_access_count_adds_up_to_the_quarters_first_contacts(example_in_a: World) -> None:
    rows = download(example_in_a, Role.TEAM_LEADER, "access", "xlsx")
    out = StringIO()
    call_command(
        "report", "--service", "svc-a", "--start", "2025-01-01", "--end", "2025-03-31", stdout=out
    )
    assert [r["REPORTING_PERIOD_START"] for r in rows] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    total = sum(int(r["MEASURE_VALUE"]) for r in rows)
    assert total == json.loads(out.getvalue())["metrics"]["first_contacts"]


def test_the_commissioners_copy_hides_small_numbers_and_is_formula_safe(
    example_in_a: World,
) -> None:
    world = example_in_a
    world.service_b.name = "=HYPERLINK(1)"
    world.service_b.save()
    rows = {r["service_code"]: r for r in download(world, Role.COMMISSIONER, "ips-grow")}
    assert rows["svc-b"]["service_name"] == "'=HYPERLINK(1)"
    assert rows["svc-b"]["referrals_received"] in {"0", "*"}
    for row in rows.values():
        for key in ("referrals_received", "job_starts", "caseload_open_at_end"):
            assert row[key] == "*" or int(row[key]) % 5 == 0
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.changes["small numbers hidden"] is True


def test_the_commissioners_rates_are_worked_out_from_the_counts_as_shown(
    example_in_a: World,
) -> None:
    quarter = "2025-26-Q1"  # April to June 2025
    rows = download(example_in_a, Role.COMMISSIONER, "ips-grow", quarter=quarter)
    row = next(r for r in rows if r["service_code"] == "svc-a")
    # 8 of 56 exactly; shown as 10 of 55, and the rate with them (not 14%, which names both).
    served, into = int(row["out_of_work_served"]), int(row["out_of_work_into_work"])
    assert (served, into) == (55, 10)
    assert row["employment_rate_out_of_work"] == "0.182"  # 10 / 55, to 3 places


def test_the_commissioner_gets_whole_quarters_only(example_in_a: World) -> None:
    today = timezone.localdate()
    current = Quarter.containing(today).slug
    commissioner = signed_in(example_in_a.users[Role.COMMISSIONER])
    leader = signed_in(example_in_a.users[Role.TEAM_LEADER])
    url = reverse("outcomes:return_download", args=["ips-grow", current, "csv"])
    response = commissioner.get(url)
    assert response.status_code == 400
    assert "Choose a quarter that has ended" in response.content.decode()
    assert leader.get(url).status_code == 200  # the service's own, exact, so far
    page = commissioner.get(reverse("outcomes:returns")).content.decode()
    assert current not in page and "(so far)" not in page
    assert Quarter.containing(today).previous().label in page
    own = leader.get(reverse("outcomes:returns")).content.decode()
    assert current in own and f"{Quarter.containing(today).label} (so far)" in own


def test_an_older_calendar_quarter_link_goes_to_the_same_three_months(world: World) -> None:
    leader = signed_in(world.users[Role.TEAM_LEADER])
    old = leader.get(reverse("outcomes:return_download", args=["ips-grow", "2025-Q1", "csv"]))
    assert old.status_code == 301
    assert old["Location"] == reverse(
        "outcomes:return_download", args=["ips-grow", "2024-25-Q4", "csv"]
    )
    rows = download(world, Role.TEAM_LEADER, "ips-grow", quarter="2024-25-Q4")
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2025-01-01", "2025-03-31")}


def test_the_workbook_shows_rates_as_percentages_to_one_place(example_in_a: World) -> None:
    url = reverse("outcomes:return_download", args=["ips-grow", "2024-25-Q4", "xlsx"])
    response = signed_in(example_in_a.users[Role.TEAM_LEADER]).get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    header = [c.value for c in sheet[1]]  # type: ignore[index]
    cell = sheet.cell(row=2, column=header.index("employment_rate_out_of_work") + 1)  # type: ignore[union-attr]
    assert cell.number_format == "0.0%"
    assert cell.value == round(cell.value, 3)
