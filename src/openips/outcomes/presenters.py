"""Figures as the dashboard pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openips.core.formatting import format_date
from openips.organisations import programmes
from openips.outcomes.dashboard import Dashboard

# Every measure a dashboard can show, by its key in metrics.md: a programme's kpis choose
# which, in their order (tests/outcomes/test_programme_dashboards.py checks each has a label).
LABELS = {
    "referrals_received": "Referrals received",
    "referrals_accepted": "Referrals accepted",
    "caseload_open_at_end": "Caseload open at the end",
    "caseload_active_at_end": "Active caseload (seen in the last 4 weeks)",
    "first_contacts": "People with a first direct contact",
    "job_starts": "Job starts",
    "clients_into_work": "People starting their first job",
    "job_outcomes": "Job outcomes (7 hours a week or more in 13 of 16 weeks)",
    "employment_rate_out_of_work": "Employment rate (out of work at referral)",
    "competitive_employment_rate": "Competitive employment rate",
    "sustained_13_weeks": "Jobs sustained 13 weeks",
    "sustained_26_weeks": "Jobs sustained 26 weeks",
    "sustained_52_weeks": "Jobs sustained 52 weeks",
    "days_to_first_employer_contact": "Days from acceptance to first employer contact",
    "job_start_hours_median": "Hours a week at job start (median)",
    "job_start_hourly_pay_median": "Hourly pay at job start (median)",
    "in_work_at_referral_share": "In work at referral",
    "discharges": "Discharges",
}
# The rows of the default programme's dashboard (IPS in secondary mental health), in order.
ROWS = tuple((key, LABELS[key]) for key in programmes.default().kpis)


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def wilson(events: int, total: int) -> str:
    if not total:
        return ""
    # On first use: commands and workers start without it.
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(events, total, method="wilson")
    return f" (95% CI {low:.0%} to {high:.0%})"


def count(value: int | str) -> str:
    """A count, or the mark a suppressed one shows as."""
    return value if isinstance(value, str) else f"{value:,}"


def days(value: float | str | None) -> str:
    """A median of days ("207", "152.5"), the suppressed mark, or nothing."""
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{value:,g}"


def job_outcomes(value: dict[str, Any]) -> str:
    """ "6 (4 at 16 hours or more); median 207 days from acceptance"."""
    if value["outcomes"] == 0:
        return "0"
    text = f"{count(value['outcomes'])} ({count(value['outcomes_16_hours'])} at 16 hours or more)"
    median = days(value["median_days_from_acceptance"])
    return f"{text}; median {median} days from acceptance" if median else text


def shown(key: str, metrics: dict[str, Any]) -> str:
    value = metrics[key]
    if key == "job_outcomes":
        return job_outcomes(value)
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
        for key, label in ((k, LABELS[k]) for k in d.programme.kpis)
    ]


def measures_of(d: Dashboard) -> str:
    """Whose measures the page shows."""
    p = d.programme
    if p.benchmarks:
        return f"The measures and benchmarks of {p.name}."
    return f"The measures of {p.name}, which has no benchmarks recorded yet."


def programme_changes(d: Dashboard) -> str | None:
    """For figures over a change of programme, whose measures they show (ADR 0033)."""
    if not d.programme_changes:
        return None
    changes = ", and ".join(
        f"on {format_date(c.day)}, from {c.before.name} to {c.after.name}"
        for c in d.programme_changes
    )
    return (
        f"The service changed programme {changes}. Figures for a period over a change show "
        f"the measures of the programme in force on the period's last day: here "
        f"{d.programme.name}, in force on {format_date(d.as_of)}."
    )


@dataclass(frozen=True)
class Column:
    heading: str
    numeric: bool


# A measure's columns in the table of employment specialists, where it has more than one figure.
SPECIALIST_COLUMNS = {
    "job_outcomes": [
        Column("Job outcomes", True),
        Column("At 16 hours or more", True),
        Column("Median days from acceptance", True),
    ],
}


def specialist_table(d: Dashboard) -> tuple[list[Column], list[tuple[str, list[str]]]]:
    """The programme's measures shown employment specialist by employment specialist (the
    dashboard's PER_SPECIALIST), last 12 months: the headings, and each one's name and cells."""
    keys = list(next(iter(d.by_specialist.values()), {}))
    columns: list[Column] = []
    for key in keys:
        columns += SPECIALIST_COLUMNS.get(key, [Column(LABELS[key], False)])
    rows = []
    for name, metrics in d.by_specialist.items():
        cells = []
        for key in keys:
            cells += specialist_cells(key, metrics)
        rows.append((name, cells))
    return columns, rows


def specialist_cells(key: str, metrics: dict[str, Any]) -> list[str]:
    value = metrics[key]
    if key == "job_outcomes":
        return [
            count(value["outcomes"]),
            count(value["outcomes_16_hours"]),
            days(value["median_days_from_acceptance"]),
        ]
    return [shown(key, metrics)]


def month_label(day: Any) -> str:
    return str(day.strftime("%b %Y"))
