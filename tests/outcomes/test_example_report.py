"""`openips report` reproduces the worked example's expected output for both periods."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from openips.interchange.importer import import_folder
from tests.interchange.test_import_export import EXAMPLE

EXPECTED = EXAMPLE.parent / "expected"
pytestmark = pytest.mark.django_db


def same(got: Any, expected: Any, path: str = "") -> list[str]:
    """Counts exactly; fractions, means and medians to within 1e-6 (as the example's README)."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        assert got.keys() == expected.keys(), path
        return [d for key in expected for d in same(got[key], expected[key], f"{path}.{key}")]
    if isinstance(expected, float) or isinstance(got, float):
        ok = got is not None and expected is not None and abs(got - expected) <= 1e-6
        return [] if ok else [f"{path}: {got} != {expected}"]
    return [] if got == expected else [f"{path}: {got!r} != {expected!r}"]


def report(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("start", "end"), [("2025-01-01", "2025-03-31"), ("2024-04-01", "2025-03-31")]
)
def test_the_report_matches_the_worked_example(start: str, end: str) -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    got = json.loads(report("--service", "EXAMPLE", "--start", start, "--end", end))
    expected = json.loads((EXPECTED / f"report-{start}-{end}.json").read_text())
    assert same(got, expected) == []
    assert isinstance(got["metrics"]["job_starts"], int)


def test_csv_output_and_breakdowns_agree_with_the_totals() -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    args = ("--service", "EXAMPLE", "--start", "2024-04-01", "--end", "2025-03-31")
    whole = json.loads(report(*args))
    split = json.loads(report(*args, "--by", "employment_specialist"))
    groups = split["breakdowns"]["employment_specialist"]
    for key in ("referrals_received", "job_starts", "discharges", "caseload_open_at_end"):
        assert sum(g[key] for g in groups.values()) == whole["metrics"][key]
    rows = report(*args, "--format", "csv").splitlines()
    assert rows[0] == "group,metric,value"
    assert f"all,job_starts,{whole['metrics']['job_starts']}" in rows
    assert "all,sustained_13_weeks.cohort,22" in rows


def test_a_bad_date_or_service_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="'2025-13-01' is not a date written YYYY-MM-DD"):
        report("--start", "2025-13-01", "--end", "2025-03-31")
    with pytest.raises(CommandError, match="--end must be on or after --start"):
        report("--start", "2025-03-01", "--end", "2025-01-31")
    with pytest.raises(CommandError, match="no service with the code 'NOPE'"):
        report("--service", "NOPE", "--start", "2025-01-01", "--end", "2025-03-31")


def test_without_a_service_the_whole_network_is_reported() -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    assert import_folder(EXAMPLE, "SECOND", organisation="Second trust").ok
    args = ("--start", "2024-04-01", "--end", "2025-03-31")
    both = json.loads(report(*args))
    one = json.loads(report("--service", "EXAMPLE", *args))
    assert both["service"] is None
    assert both["metrics"]["job_starts"] == 2 * one["metrics"]["job_starts"]
    # Clients are counted per service: the same client_id in two organisations is two people.
    assert both["metrics"]["clients_into_work"] == 2 * one["metrics"]["clients_into_work"]


def test_suppress_applies_the_disclosure_rule_to_the_report() -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    args = ("--service", "EXAMPLE", "--start", "2024-04-01", "--end", "2025-03-31")
    shown = json.loads(report(*args, "--suppress"))["metrics"]
    assert shown["job_starts"] == 20  # 21, rounded to the nearest 5
    assert shown["referrals_received"] == 50  # 51
    # 3 of 48 accepted were in work: a count of 3 is withheld, and so the share is too.
    assert shown["in_work_at_referral_share"] == "*"
    # Rates come from the counts as shown (18 of 68 → 20 of 70; 21 of 22 → 20 of 20): a rate
    # from the exact counts beside the rounded ones would give the exact counts away.
    assert shown["out_of_work_into_work"] == 20 and shown["out_of_work_served"] == 70
    assert shown["employment_rate_out_of_work"] == pytest.approx(20 / 70)
    assert shown["sustained_13_weeks"] == {"cohort": 20, "sustained": 20, "rate": 1.0}
    quarter = json.loads(
        report("--service", "EXAMPLE", "--start", "2025-01-01", "--end", "2025-03-31", "--suppress")
    )["metrics"]
    assert quarter["clients_into_work"] == "*"  # 4
    assert quarter["days_to_first_employer_contact"]["median"] == "*"  # rests on 7 people
