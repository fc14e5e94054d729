"""Figures as the dashboard pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from statsmodels.stats.proportion import proportion_confint

from openips.outcomes.dashboard import Dashboard

ROWS = (
    ("referrals_received", "Referrals received"),
    ("referrals_accepted", "Referrals accepted"),
    ("caseload_open_at_end", "Caseload open at the end"),
    ("caseload_active_at_end", "Active caseload (seen in the last 4 weeks)"),
    ("first_contacts", "People with a first direct contact"),
    ("job_starts", "Job starts"),
    ("clients_into_work", "People starting their first job"),
    ("employment_rate_out_of_work", "Employment rate (out of work at referral)"),
    ("competitive_employment_rate", "Competitive employment rate"),
    ("sustained_13_weeks", "Jobs sustained 13 weeks"),
    ("sustained_26_weeks", "Jobs sustained 26 weeks"),
    ("sustained_52_weeks", "Jobs sustained 52 weeks"),
    ("days_to_first_employer_contact", "Days from acceptance to first employer contact"),
    ("job_start_hours_median", "Hours a week at job start (median)"),
    ("job_start_hourly_pay_median", "Hourly pay at job start (median)"),
    ("in_work_at_referral_share", "In work at referral"),
    ("discharges", "Discharges"),
)


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def wilson(events: int, total: int) -> str:
    if not total:
        return ""
    low, high = proportion_confint(events, total, method="wilson")
    return f" (95% CI {low:.0%} to {high:.0%})"


def shown(key: str, metrics: dict[str, Any]) -> str:
    value = metrics[key]
    if isinstance(value, dict) and "cohort" in value:
        if not value["cohort"]:
            return "no jobs reached the anniversary"
        return f"{percent(value['rate'])} ({value['sustained']} of {value['cohort']})"
    if isinstance(value, dict):
        if value["median"] is None:
            return f"no contacts yet ({value['episodes']} people)"
        return (
            f"median {value['median']:g} days ({value['contacted']} of {value['episodes']} people)"
        )
    if key == "employment_rate_out_of_work":
        into, served = metrics["out_of_work_into_work"], metrics["out_of_work_served"]
        if value is None:
            return "no data"
        return f"{percent(value)}, {into} of {served}{wilson(into, served)}"
    if key.endswith(("_rate", "_share")):
        return percent(value)
    if key == "job_start_hourly_pay_median":
        return "no data" if value is None else f"£{value:,.2f}"
    if value is None:
        return "no data"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


@dataclass(frozen=True)
class SummaryRow:
    label: str
    quarter: str
    year: str
    benchmark: str


def summary(d: Dashboard) -> list[SummaryRow]:
    """The table's rows, each beside the benchmark of the dashboard's programme, if it has one."""
    benchmarks = d.programme.benchmarks
    return [
        SummaryRow(
            label,
            shown(key, d.quarter_metrics),
            shown(key, d.year_metrics),
            benchmarks[key].text if key in benchmarks else "",
        )
        for key, label in ROWS
    ]


def month_label(day: Any) -> str:
    return str(day.strftime("%b %Y"))
