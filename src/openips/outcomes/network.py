"""The commissioner's view: services side by side over the 12 calendar months to a month end,
aggregates only, every figure through disclosure control; a funnel for each programme, across
its services only, drawn from the protected figures alone; whose data is complete (ADR 0014).
Each service is read by the programme in force on the period's last day (ADR 0033)."""

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
from openips.organisations import programmes
from openips.organisations.models import Service
from openips.organisations.programmes import Programme
from openips.organisations.queries import programmes_over
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


def month_end(day: date) -> date:
    """The last day of the month `day` is in."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_end(day: date, today: date) -> date:
    """The figures a suppressed audience sees run to the end of a complete month: the last one
    on or before `day`. Any other day would let one person's record be dated by stepping the
    period a day at a time, comparing the figures either side."""
    end = min(day, today - timedelta(days=1))
    return end if end == month_end(end) else end.replace(day=1) - timedelta(days=1)


def period_ends(today: date, count: int = 24) -> list[date]:
    """The ends of the last `count` complete months, latest first: what the page offers."""
    ends = [period_end(today, today)]
    while len(ends) < count:
        ends.append(ends[-1].replace(day=1) - timedelta(days=1))
    return ends


def year_to(end: date) -> Period:
    """The 12 calendar months to the month end `end`."""
    if end != month_end(end):
        raise ValueError(f"{end} is not the end of a month")
    months = end.year * 12 + end.month - 12  # the month before the first, counted from year 0
    return Period(date(months // 12, months % 12 + 1, 1), end)


@dataclass(frozen=True)
class Funnel:
    """The services of one programme compared: like with like, since programmes differ in whom
    they serve and for how long. Drawn from the shown figures only."""

    programme: Programme
    overall: float | None
    placed: list[funnel.Placed]
    left_out: list[str]  # services whose rate is withheld, so not on the funnel


@dataclass(frozen=True)
class NetworkView:
    """What the page shows. It holds the protected table and what is worked out from it, and no
    exact count: the charts and their tables are drawn from the figures the main table shows."""

    period: Period
    services: list[Service]
    programmes: list[Programme]  # each service's, on the period's last day
    table: disclosure.Protected
    funnels: list[Funnel]  # one per programme the services deliver, in the file's order
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


def build(services: QuerySet[Service], end: date) -> NetworkView:
    """The view of the 12 months to the month end `end`."""
    period = year_to(end)
    listed = list(services)
    raw = service_rows(listed, period)
    # Every count is a sum over episodes or jobs, and services share neither.
    raw_total = with_rates({key: sum(r[key] for r in raw) for key in COUNTS})
    table = disclosure.protect_table(raw, raw_total, COUNTS, RATES)
    delivered = programmes_over(listed, period)
    return present(
        period,
        listed,
        [delivered[s.pk] for s in listed],
        table,
        completeness(services, period),
    )


def present(
    period: Period,
    services: list[Service],
    delivers: list[Programme],
    table: disclosure.Protected,
    missing_months: dict[int, list[date]],
) -> NetworkView:
    """A funnel for each programme from the protected table only: each service at its shown
    number served and the rate from its shown counts, so no point, curve or axis rests on an
    exact count."""
    units: dict[str, list[funnel.Unit]] = defaultdict(list)
    left_out: dict[str, list[str]] = defaultdict(list)
    shown = table.shown_counts("out_of_work_into_work", "out_of_work_served")
    for service, programme, row, counts in zip(services, delivers, table.rows, shown, strict=True):
        if row["employment_rate"] in (None, disclosure.WITHHELD) or counts is None:
            left_out[programme.code].append(service.name)
        else:
            units[programme.code].append(funnel.Unit(service.name, *counts))
    funnels = []
    codes = {p.code for p in delivers}
    for programme in programmes.PROGRAMMES.values():
        if programme.code in codes:
            overall, placed = funnel.place(units[programme.code])
            funnels.append(Funnel(programme, overall, placed, left_out[programme.code]))
    return NetworkView(period, services, delivers, table, funnels, missing_months)
