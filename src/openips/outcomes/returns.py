"""Quarterly returns from the same facts as the dashboards: the IPS Grow quarterly return
figures, IPS in Primary Care's job outcomes (for the DWP grant), both one row per service, and
an MHSDS-shaped IPS access count (people with a first direct contact, one row per service and
month). Commissioners' copies pass through disclosure control."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from openips.clients.models import Episode
from openips.core import params
from openips.organisations.models import Service
from openips.organisations.queries import programmes_over
from openips.outcomes import disclosure
from openips.outcomes.metrics import Period, outcome_metrics
from openips.outcomes.network import months_in
from openips.outcomes.report import Facts

RATE_PLACES = Decimal("0.001")  # a rate of 0..1 to a tenth of a percentage point (ADR 0023)


def period_of(q: params.Quarter) -> Period:
    return Period(q.start, q.end)


def recent_quarters(
    today: date, count: int = 5, *, ended_only: bool = False
) -> list[params.Quarter]:
    """The `count` financial-year quarters up to the one `today` falls in, latest first; or up
    to the last that has ended. Suppressed copies cover only whole quarters: a quarter "so far"
    changes day by day, and two days' copies side by side can date one person's job start
    (ADR 0014)."""
    q = params.Quarter.containing(today)
    if ended_only:
        q = q.previous()
    found = []
    for _ in range(count):
        found.append(q)
        q = q.previous()
    return found


def rounded_rate(value: float) -> float:
    """A rate as people read it: to 3 decimal places of the fraction (18.2%), half away from
    zero on the decimal, not the 17 digits of a float."""
    return float(Decimal(value).quantize(RATE_PLACES, rounding=ROUND_HALF_UP))


Row = Callable[[Service, Period, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Return:
    title: str
    columns: list[str]
    counts: list[str]  # columns protected as counts
    rates: dict[str, tuple[str, str]]  # rate column → (numerator, denominator)
    # A return of one row per service, from its metrics (the access count is one per month).
    row: Row | None = None
    # Only services whose programme over the quarter shows this measure (None: every service).
    measure: str | None = None


def _named(service: Service, period: Period) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }


def _grow_row(service: Service, period: Period, m: dict[str, Any]) -> dict[str, Any]:
    s13 = m["sustained_13_weeks"]
    return {
        **_named(service, period),
        **{k: m[k] for k in IPS_GROW.counts if k in m},
        "employment_rate_out_of_work": m["employment_rate_out_of_work"],
        "sustained_13_weeks_cohort": s13["cohort"],
        "sustained_13_weeks": s13["sustained"],
        "sustained_13_weeks_rate": s13["rate"],
    }


def _primary_care_row(service: Service, period: Period, m: dict[str, Any]) -> dict[str, Any]:
    outcomes = m["job_outcomes"]
    return {
        **_named(service, period),
        **{k: m[k] for k in PRIMARY_CARE.counts if k in m},
        "job_outcomes": outcomes["outcomes"],
        "job_outcomes_16_hours": outcomes["outcomes_16_hours"],
    }


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
    _grow_row,
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


_PC_COUNTS = [
    "referrals_received",
    "referrals_accepted",
    "caseload_open_at_end",
    "job_starts",
    "job_outcomes",
    "job_outcomes_16_hours",
    "discharges",
]
PRIMARY_CARE = Return(
    "IPS in Primary Care quarterly return",
    ["service_code", "service_name", "period_start", "period_end", *_PC_COUNTS],
    _PC_COUNTS,
    {},
    _primary_care_row,
    measure="job_outcomes",
)
RETURNS = {"ips-grow": IPS_GROW, "access": ACCESS, "ips-primary-care": PRIMARY_CARE}


def rows(
    kind: str, services: QuerySet[Service], period: Period, *, suppress: bool
) -> list[Mapping[str, Any]]:
    """Every row of the return. Suppressed copies protect each column against its total."""
    spec = RETURNS[kind]
    if spec.measure is not None:
        programmes = programmes_over(list(services), period)
        services = services.filter(
            pk__in=[pk for pk, p in programmes.items() if spec.measure in p.kpis]
        )
    facts = Facts(Episode.objects.filter(service__in=services), period)
    listed = list(services.select_related("organisation").order_by("name"))
    by_service = {s.code: [e for e in facts.episodes if e.service == s.code] for s in listed}
    empty = outcome_metrics([], [], period)
    found: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    if spec.row is not None:
        for s in listed:
            m = (
                outcome_metrics(by_service[s.code], facts.jobs, period)
                if by_service[s.code]
                else empty
            )
            found.append(spec.row(s, period, m))
        total = spec.row(Service(code="", name="All"), period, facts.metrics())
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
            if spec.row is not None
            else {"MEASURE_VALUE": sum(int(r["MEASURE_VALUE"]) for r in chunk)}
        )
        protected += disclosure.protect_table(chunk, chunk_total, spec.counts, spec.rates).rows
    return protected


def shown(value: Any, is_rate: bool) -> Any:
    """A cell as written: empty for no data, a rate rounded (a withheld `*` stays as it is)."""
    if value is None:
        return ""
    if is_rate and isinstance(value, float):
        return rounded_rate(value)
    return value


def table(kind: str, data: list[Mapping[str, Any]]) -> Iterator[list[Any]]:
    """The header, then the rows, for CSV or a workbook."""
    spec = RETURNS[kind]
    yield spec.columns
    for row in data:
        yield [shown(row[c], c in spec.rates) for c in spec.columns]
