"""Quarterly returns from the same facts as the dashboards: the IPS Grow quarterly return
figures and an MHSDS-shaped IPS access count (people with a first direct contact), one row per
service. Commissioners' copies pass through disclosure control."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from openips.clients.models import Episode
from openips.core import params
from openips.organisations.models import Service
from openips.outcomes import disclosure
from openips.outcomes.metrics import Period, outcome_metrics
from openips.outcomes.network import months_in
from openips.outcomes.report import Facts

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter(text: str) -> Period | None:
    """The quarter named `2025-Q1`; None if malformed; BadParameter if its year is out of
    range (a year such as 0000 or 9999 would otherwise fail in the date arithmetic)."""
    match = QUARTER.match(text)
    if not match:
        return None
    year, q = params.year_in_bounds(int(match[1]), "a quarter"), int(match[2])
    start = date(year, 3 * q - 2, 1)
    end = (date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - timedelta(days=1)
    return Period(start, end)


def recent_quarters(today: date, count: int = 5, *, ended_only: bool = False) -> list[str]:
    """The `count` quarters up to the one `today` falls in, latest first; or up to the last
    that has ended. Suppressed copies cover only whole quarters: a quarter "so far" changes day
    by day, and two days' copies side by side can date one person's job start (ADR 0014)."""
    year, q = today.year, (today.month - 1) // 3 + 1
    if ended_only:
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    found = []
    for _ in range(count):
        found.append(f"{year}-Q{q}")
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return found


@dataclass(frozen=True)
class Return:
    title: str
    columns: list[str]
    counts: list[str]  # columns protected as counts
    rates: dict[str, tuple[str, str]]  # rate column → (numerator, denominator)


IPS_GROW = Return(
    "IPS Grow quarterly return",
    [
        "service_code",
        "service_name",
        "period_start",
        "period_end",
        "referrals_received",
        "referrals_accepted",
        "caseload_open_at_end",
        "caseload_active_at_end",
        "clients_into_work",
        "job_starts",
        "out_of_work_served",
        "out_of_work_into_work",
        "employment_rate_out_of_work",
        "sustained_13_weeks_cohort",
        "sustained_13_weeks",
        "sustained_13_weeks_rate",
        "discharges",
    ],
    [
        "referrals_received",
        "referrals_accepted",
        "caseload_open_at_end",
        "caseload_active_at_end",
        "clients_into_work",
        "job_starts",
        "out_of_work_served",
        "out_of_work_into_work",
        "sustained_13_weeks_cohort",
        "sustained_13_weeks",
        "discharges",
    ],
    {
        "employment_rate_out_of_work": ("out_of_work_into_work", "out_of_work_served"),
        "sustained_13_weeks_rate": ("sustained_13_weeks", "sustained_13_weeks_cohort"),
    },
)
ACCESS = Return(
    "IPS access count (MHSDS shape)",
    [
        "ORG_NAME",
        "SERVICE_CODE",
        "REPORTING_PERIOD_START",
        "REPORTING_PERIOD_END",
        "MEASURE_ID",
        "MEASURE_NAME",
        "MEASURE_VALUE",
    ],
    ["MEASURE_VALUE"],
    {},
)
RETURNS = {"ips-grow": IPS_GROW, "access": ACCESS}


def _grow_row(service: Service, period: Period, m: dict[str, Any]) -> dict[str, Any]:
    s13 = m["sustained_13_weeks"]
    return {
        "service_code": service.code,
        "service_name": service.name,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        **{k: m[k] for k in IPS_GROW.counts if k in m},
        "employment_rate_out_of_work": m["employment_rate_out_of_work"],
        "sustained_13_weeks_cohort": s13["cohort"],
        "sustained_13_weeks": s13["sustained"],
        "sustained_13_weeks_rate": s13["rate"],
    }


def rows(
    kind: str, services: QuerySet[Service], period: Period, *, suppress: bool
) -> list[Mapping[str, Any]]:
    """Every row of the return. Suppressed copies protect each column against its total."""
    facts = Facts(Episode.objects.filter(service__in=services), period)
    listed = list(services.select_related("organisation").order_by("name"))
    by_service = {s.code: [e for e in facts.episodes if e.service == s.code] for s in listed}
    empty = outcome_metrics([], [], period)
    spec = RETURNS[kind]
    found: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    if kind == "ips-grow":
        for s in listed:
            m = (
                outcome_metrics(by_service[s.code], facts.jobs, period)
                if by_service[s.code]
                else empty
            )
            found.append(_grow_row(s, period, m))
        total = _grow_row(Service(code="", name="All"), period, facts.metrics())
        chunks = [found]
    else:
        chunks = []
        for month in months_in(period):
            month_end = min(
                period.end, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            )
            within = Period(month, month_end)
            chunk: list[dict[str, Any]] = []
            for s in listed:
                count = sum(e.first_direct_contact in within for e in by_service[s.code])
                chunk.append(
                    {
                        "ORG_NAME": s.organisation.name,
                        "SERVICE_CODE": s.code,
                        "REPORTING_PERIOD_START": month.isoformat(),
                        "REPORTING_PERIOD_END": month_end.isoformat(),
                        "MEASURE_ID": "IPS_ACCESS",
                        "MEASURE_NAME": "People with a first direct IPS contact",
                        "MEASURE_VALUE": count,
                    }
                )
            chunks.append(chunk)
    if not suppress:
        return [row for chunk in chunks for row in chunk]
    protected: list[Mapping[str, Any]] = []
    for chunk in chunks:
        chunk_total = (
            total
            if kind == "ips-grow"
            else {"MEASURE_VALUE": sum(int(r["MEASURE_VALUE"]) for r in chunk)}
        )
        protected += disclosure.protect_table(chunk, chunk_total, spec.counts, spec.rates).rows
    return protected


def table(kind: str, data: list[Mapping[str, Any]]) -> Iterator[list[Any]]:
    """The header, then the rows, for CSV or a workbook."""
    columns = RETURNS[kind].columns
    yield columns
    for row in data:
        yield ["" if row[c] is None else row[c] for c in columns]
