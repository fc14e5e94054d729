"""The commissioner's view: services side by side over the last 12 months, aggregates only,
every figure through disclosure control; a funnel across services; whose data is complete."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core.reporting import reporting_reads
from openips.employment.models import Job
from openips.organisations.models import Service
from openips.outcomes import disclosure, funnel
from openips.outcomes.facts import JobFact
from openips.outcomes.metrics import OUT_OF_WORK, SUSTAINED, Period, rate, sustained

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


def months_in(period: Period) -> list[date]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


@reporting_reads
def completeness(services: QuerySet[Service], period: Period) -> dict[int, list[date]]:
    """For each service, the months of the period with no contact recorded at all: one indexed
    probe per service and month (contacts are indexed by service and date), not a scan of the
    year's contacts."""
    months = months_in(period)
    probes = {
        f"m{n}": Exists(
            Contact.objects.filter(
                service=OuterRef("pk"),
                date__range=(max(month, period.start), min(month_end(month), period.end)),
            )
        )
        for n, month in enumerate(months)
    }
    rows = Service.objects.filter(pk__in=services.values("pk")).annotate(**probes).order_by()
    return {row.pk: [m for n, m in enumerate(months) if not getattr(row, f"m{n}")] for row in rows}


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


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


@reporting_reads
def service_rows(services: list[Service], period: Period) -> list[dict[str, Any]]:
    """The network's figures for each service, counted in the database: the same definitions as
    metrics.py (tests/outcomes/test_network.py checks them against it), but only the counts the
    network view shows, so no contact is read and no episode is fetched."""
    start, end = period.start, period.end
    # Uncorrelated, so the database hashes the year's starts once instead of probing per episode.
    started = Job.objects.filter(start_confirmed=True, start_date__range=(start, end))
    served = (
        Q(employment_status_at_referral__in=OUT_OF_WORK)
        & Q(accepted_date__lte=end, vocational_profile_date__lte=end)
        & (Q(discharge_date__isnull=True) | Q(discharge_date__gte=start))
    )
    episodes = {
        row["service_id"]: row
        for row in Episode.objects.filter(service__in=services)
        .values("service_id")
        .order_by()
        .annotate(
            referrals_received=Count("pk", filter=Q(referral_date__range=(start, end))),
            out_of_work_served=Count("pk", filter=served),
            out_of_work_into_work=Count(
                "pk", filter=served & Q(pk__in=started.values("episode_id"))
            ),
        )
    }
    # Job starts and the 13-week cohort: the confirmed starts from 91 days before the period on,
    # counted by metrics.py's own rule, since "still in work 91 days on" is date arithmetic.
    weeks_13 = SUSTAINED["sustained_13_weeks"]
    jobs: dict[int, list[JobFact]] = defaultdict(list)
    rows = Job.objects.filter(
        episode__service__in=services,
        start_confirmed=True,
        start_date__range=(start - timedelta(days=weeks_13), end),
    ).values_list("episode__service_id", "episode_id", "start_date", "end_date")
    for service_id, episode_id, job_start, job_end in rows.order_by().iterator(chunk_size=5000):
        jobs[service_id].append(
            JobFact(episode_id, job_start, job_end, None, None, True, None, "", "")
        )
    found = []
    for service in services:
        counts = episodes.get(service.pk, {})
        s13 = sustained(jobs[service.pk], period, weeks_13)
        row = {
            "referrals_received": counts.get("referrals_received", 0),
            "out_of_work_served": counts.get("out_of_work_served", 0),
            "out_of_work_into_work": counts.get("out_of_work_into_work", 0),
            "job_starts": sum(j.start in period for j in jobs[service.pk]),
            "sustained_cohort": s13["cohort"],
            "sustained": s13["sustained"],
        }
        found.append(with_rates(row))
    return found


def with_rates(row: dict[str, Any]) -> dict[str, Any]:
    return row | {key: rate(row[part], row[whole]) for key, (part, whole) in RATES.items()}


def build(services: QuerySet[Service], as_of: date) -> NetworkView:
    period = Period(as_of - timedelta(days=364), as_of)
    listed = list(services)
    raw = service_rows(listed, period)
    # Every count is a sum over episodes or jobs, and services share neither.
    raw_total = with_rates({key: sum(r[key] for r in raw) for key in COUNTS})
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
