"""The commissioner's view: services side by side over the last 12 months, aggregates only,
every figure through disclosure control; a funnel across services; whose data is complete."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncMonth

from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core.reporting import reporting_reads
from openips.organisations.models import Service
from openips.outcomes import disclosure, funnel
from openips.outcomes.metrics import Period, outcome_metrics
from openips.outcomes.report import Facts

COUNTS = [
    "referrals_received",
    "out_of_work_served",
    "out_of_work_into_work",
    "job_starts",
    "sustained_cohort",
    "sustained",
]
RATES = {
    "employment_rate": ("out_of_work_into_work", "out_of_work_served"),
    "sustained_rate": ("sustained", "sustained_cohort"),
}


def row_of(metrics: dict[str, Any]) -> dict[str, Any]:
    s13 = metrics["sustained_13_weeks"]
    return {
        "referrals_received": metrics["referrals_received"],
        "out_of_work_served": metrics["out_of_work_served"],
        "out_of_work_into_work": metrics["out_of_work_into_work"],
        "job_starts": metrics["job_starts"],
        "sustained_cohort": s13["cohort"],
        "sustained": s13["sustained"],
        "employment_rate": metrics["employment_rate_out_of_work"],
        "sustained_rate": s13["rate"],
    }


def months_in(period: Period) -> list[date]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


@reporting_reads
def completeness(services: QuerySet[Service], period: Period) -> dict[int, list[date]]:
    """For each service, the months of the period with no contact recorded at all."""
    recorded: dict[int, set[date]] = defaultdict(set)
    rows = (
        Contact.objects.filter(service__in=services, date__range=(period.start, period.end))
        .annotate(month=TruncMonth("date"))
        .values_list("service_id", "month")
        .order_by()  # without this, Contact's default ordering joins the DISTINCT: every row
        .distinct()
    )
    for service_id, month in rows:
        recorded[service_id].add(month if isinstance(month, date) else month.date())
    expected = months_in(period)
    return {s.pk: [m for m in expected if m not in recorded[s.pk]] for s in services}


@dataclass
class NetworkView:
    period: Period
    services: list[Service]
    rows: list[dict[str, Any]]  # as shown: protected
    total: dict[str, Any]
    overall: float | None
    placed: list[funnel.Placed]
    left_out: list[str]  # services whose rate is withheld, so not on the funnel
    missing_months: dict[int, list[date]]


def build(services: QuerySet[Service], as_of: date) -> NetworkView:
    period = Period(as_of - timedelta(days=364), as_of)
    listed = list(services)
    facts = Facts(Episode.objects.filter(service__in=services), period)
    groups = facts.breakdown("service")
    raw = [row_of(groups.get(s.code) or outcome_metrics([], [], period)) for s in listed]
    raw_total = row_of(facts.metrics())
    rows, total = disclosure.protect_table(raw, raw_total, COUNTS, RATES)
    units, left_out = [], []
    for service, raw_row, row in zip(listed, raw, rows, strict=True):
        if row["employment_rate"] in (None, disclosure.WITHHELD):
            left_out.append(service.name)
        else:
            units.append(
                funnel.Unit(
                    service.name, raw_row["out_of_work_into_work"], raw_row["out_of_work_served"]
                )
            )
    overall, placed = funnel.place(units)
    return NetworkView(
        period, listed, rows, total, overall, placed, left_out, completeness(services, period)
    )
