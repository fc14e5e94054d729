"""The dashboard's summary table: each figure worded, beside its benchmark. No database."""

from __future__ import annotations

from datetime import date
from typing import Any

from openips.outcomes.dashboard import Dashboard
from openips.outcomes.metrics import Period
from openips.outcomes.presenters import ROWS, SummaryRow, summary

YEAR: dict[str, Any] = {
    "referrals_received": 1234,
    "referrals_accepted": 40,
    "caseload_open_at_end": 0,
    "caseload_active_at_end": None,
    "first_contacts": 30,
    "job_starts": 12,
    "clients_into_work": 10,
    "out_of_work_into_work": 8,
    "out_of_work_served": 20,
    "employment_rate_out_of_work": 0.4,
    "competitive_employment_rate": 0.31,
    "sustained_13_weeks": {"cohort": 10, "sustained": 7, "rate": 0.7},
    "sustained_26_weeks": {"cohort": 0, "sustained": 0, "rate": None},
    "sustained_52_weeks": {"cohort": 0, "sustained": 0, "rate": None},
    "days_to_first_employer_contact": {"episodes": 11, "contacted": 9, "median": 12.5},
    "job_start_hours_median": 16.0,
    "job_start_hourly_pay_median": 12.21,
    "in_work_at_referral_share": 0.1,
    "discharges": 3,
}
# A quarter with nothing to measure yet.
QUARTER = YEAR | {
    "out_of_work_into_work": 0,
    "out_of_work_served": 0,
    "employment_rate_out_of_work": None,
    "days_to_first_employer_contact": {"episodes": 2, "contacted": 0, "median": None},
    "job_start_hourly_pay_median": None,
}


def dashboard() -> Dashboard:
    as_of = date(2026, 3, 4)
    return Dashboard(
        as_of=as_of,
        quarter=Period(date(2026, 1, 1), as_of),
        quarter_label="2025/26 Q4",
        year=Period(date(2025, 3, 5), as_of),
        quarter_metrics=QUARTER,
        year_metrics=YEAR,
        trends=[],
        overall_rate=None,
        specialists=[],
        first_job=None,
        tenure=None,
        equity={},
    )


def test_every_measure_has_a_row_in_the_table_order() -> None:
    assert [row.label for row in summary(dashboard())] == [label for _, label in ROWS]


def test_figures_are_worded_with_what_they_rest_on() -> None:
    rows = {row.label: row for row in summary(dashboard())}
    assert rows["Referrals received"] == SummaryRow("Referrals received", "1,234", "1,234", "")
    assert rows["Caseload open at the end"].year == "0"  # nobody, not "no data"
    assert rows["Active caseload (seen in the last 4 weeks)"].year == "no data"
    employment = rows["Employment rate (out of work at referral)"]
    assert employment.year == "40%, 8 of 20 (95% CI 22% to 61%)"
    assert employment.quarter == "no data"
    assert employment.benchmark == "IPS Grow: 40%"
    assert rows["Jobs sustained 13 weeks"].year == "70% (7 of 10)"
    assert rows["Jobs sustained 13 weeks"].benchmark == "IPS Grow: 65%"
    assert rows["Jobs sustained 26 weeks"].year == "no jobs reached the anniversary"
    contact = rows["Days from acceptance to first employer contact"]
    assert contact.year == "median 12.5 days (9 of 11 people)"
    assert contact.quarter == "no contacts yet (2 people)"
    assert rows["Hours a week at job start (median)"].year == "16"
    assert rows["Hourly pay at job start (median)"].year == "£12.21"
    assert rows["Hourly pay at job start (median)"].quarter == "no data"
    assert rows["In work at referral"].year == "10%"
    assert rows["In work at referral"].benchmark == "IPS Grow: at most 15%"
