"""The network view counts in SQL what metrics.py counts in Python: on records whose dates sit
on every boundary the definitions name, the two agree service by service and in total."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from openips.clients.models import Episode, Person
from openips.employment.models import Job
from openips.organisations.models import Service
from openips.outcomes import network
from openips.outcomes.metrics import Period
from openips.outcomes.report import Facts
from tests.conftest import World

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
S, E = PERIOD.start, PERIOD.end
# Days on and either side of each edge: the period's, and 91 days before each (13 weeks).
EDGES = [
    d + timedelta(days=k)
    for d in (S, E, S - timedelta(days=91), E - timedelta(days=91))
    for k in (-1, 0, 1)
]


def some_day(rng: random.Random, after: date | None = None) -> date:
    later = [d for d in EDGES if after is None or d >= after]
    return rng.choice(later) if later else after  # type: ignore[return-value]


def maybe(rng: random.Random, after: date) -> date | None:
    return None if rng.random() < 0.3 else some_day(rng, after)


def populate(world: World, seed: int, count: int = 80) -> None:
    rng = random.Random(seed)  # noqa: S311  (test data, not a secret)
    for n in range(count):
        service = rng.choice([world.service_a, world.service_b])
        person = Person.objects.create(service=service, client_id=f"R{seed}-{n}")
        referral = some_day(rng)
        accepted = maybe(rng, referral)
        profile = maybe(rng, accepted) if accepted else None
        discharge = maybe(rng, profile or accepted or referral)
        episode = Episode.objects.create(
            service=service,
            person=person,
            episode_id=f"R{seed}-{n}",
            referral_date=referral,
            referral_source="self",
            employment_status_at_referral=rng.choice(
                ["unemployed", "economically_inactive", "employed"]
            ),
            accepted_date=accepted,
            vocational_profile_date=profile,
            discharge_date=discharge,
            discharge_reason="other" if discharge else "",
        )
        for k in range(rng.choice([0, 0, 1, 2])):
            start = some_day(rng)
            end = maybe(rng, start)
            if end is not None and rng.random() < 0.5:
                end = start + timedelta(days=rng.choice([90, 91, 92]))  # the 13-week edge
            Job.objects.create(
                service=service,
                episode=episode,
                job_id=f"R{seed}-{n}-{k}",
                job_title="Porter",
                start_date=start,
                end_date=end,
                start_confirmed=rng.random() < 0.8,
                competitive=True,
            )


def by_metrics_py(services: list[Service]) -> list[dict[str, object]]:
    groups = Facts(Episode.objects.filter(service__in=services), PERIOD).breakdown("service")
    rows = []
    for service in services:
        m = groups.get(service.code)
        s13 = m["sustained_13_weeks"] if m else {"cohort": 0, "sustained": 0, "rate": None}
        rows.append(
            {
                "referrals_received": m["referrals_received"] if m else 0,
                "out_of_work_served": m["out_of_work_served"] if m else 0,
                "out_of_work_into_work": m["out_of_work_into_work"] if m else 0,
                "job_starts": m["job_starts"] if m else 0,
                "sustained_cohort": s13["cohort"],
                "sustained": s13["sustained"],
                "employment_rate": m["employment_rate_out_of_work"] if m else None,
                "sustained_rate": s13["rate"],
            }
        )
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_network_counts_agree_with_metrics_py(world: World, seed: int) -> None:
    populate(world, seed)
    services = list(Service.objects.order_by("pk"))
    expected = by_metrics_py(services)
    assert network.service_rows(services, PERIOD) == expected
    assert sum(r["job_starts"] for r in expected) > 0  # the data reach the counted cases
    assert sum(r["sustained_cohort"] for r in expected) > 0


def test_the_network_total_is_the_whole_network_counted_at_once(world: World) -> None:
    populate(world, 4)
    services = Service.objects.order_by("pk")
    view = network.build(services, E)
    whole = Facts(Episode.objects.all(), PERIOD).metrics()
    # Shown after disclosure control, so compare the raw figures the total rests on.
    rows = network.service_rows(list(services), PERIOD)
    assert sum(r["out_of_work_served"] for r in rows) == whole["out_of_work_served"]
    assert sum(r["sustained"] for r in rows) == whole["sustained_13_weeks"]["sustained"]
    assert view.period == PERIOD
