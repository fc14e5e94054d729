"""`job_retention` (metrics.md), worked by hand at each boundary: the cohort is accepted clients
employed at referral whose 13 (26)-week anniversary of acceptance is in P; in work, those whose
status that day is not "left the job". A discharge alone is not leaving work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openips.clients.models import Episode, RetentionChange
from openips.outcomes.disclosure import protect_metrics
from openips.outcomes.facts import EpisodeFact, episode_facts
from openips.outcomes.metrics import Period, metrics_and_bases
from openips.outcomes.report import Facts
from tests.conftest import World
from tests.outcomes.test_metric_boundaries import Q1, episode, metrics

DAY = timedelta(days=1)


def kept(accepted: date, *changes: tuple[date, str], **fields: Any) -> EpisodeFact:
    values = {"referral": accepted - timedelta(days=3), "status": "employed", **fields}
    return episode(accepted=accepted, retention=changes, **values)


def retention(*episodes: EpisodeFact, weeks: int = 13) -> dict[str, Any]:
    found: dict[str, Any] = metrics(list(episodes))["job_retention"][f"kept_{weeks}_weeks"]
    return found


@pytest.mark.parametrize(("weeks", "days"), [(13, 91), (26, 182)])
def test_the_cohort_is_the_anniversaries_of_acceptance_inside_the_period(
    weeks: int, days: int
) -> None:
    first, last = Q1.start - timedelta(days=days), Q1.end - timedelta(days=days)
    inside = [kept(first, pk=1), kept(last, pk=2)]
    outside = [kept(first - DAY, pk=3), kept(last + DAY, pk=4)]
    assert retention(*inside, *outside, weeks=weeks) == {"cohort": 2, "in_work": 2, "rate": 1.0}


def test_only_accepted_clients_employed_at_referral_are_in_the_cohort() -> None:
    accepted = Q1.start - timedelta(days=91)
    others = [
        kept(accepted, pk=1, status="unemployed"),
        kept(accepted, pk=2, status="economically_inactive"),
        replace(kept(accepted, pk=3), accepted=None),
    ]
    assert retention(*others) == {"cohort": 0, "in_work": 0, "rate": None}


@pytest.mark.parametrize(
    ("left_on", "in_work"),
    [(-1, 0), (0, 0), (1, 1)],  # days from the anniversary: before, on the day, after
)
def test_left_on_or_before_the_anniversary_is_out_of_work_and_after_it_is_not(
    left_on: int, in_work: int
) -> None:
    accepted = date(2024, 11, 1)
    anniversary = accepted + timedelta(days=91)  # 31 January 2025, in Q1
    e = kept(accepted, (anniversary + timedelta(days=left_on), "left"))
    assert retention(e) == {"cohort": 1, "in_work": in_work, "rate": float(in_work)}


def test_back_at_work_after_leaving_is_in_work_and_a_discharge_alone_is_too() -> None:
    accepted = date(2024, 11, 1)
    back = kept(accepted, (date(2024, 12, 1), "left"), (date(2025, 1, 6), "back_at_work"), pk=1)
    adjusted = kept(accepted, (date(2024, 12, 1), "adjusted_role"), pk=2)
    discharged = kept(accepted, pk=3, discharge=date(2024, 12, 20))
    left_then_discharged = kept(
        accepted, (date(2024, 12, 1), "left"), pk=4, discharge=date(2024, 12, 20)
    )
    assert retention(back, adjusted, discharged, left_then_discharged) == {
        "cohort": 4,
        "in_work": 3,
        "rate": 0.75,
    }


def test_small_cohorts_are_withheld_like_the_sustained_ones() -> None:
    accepted = date(2024, 11, 1)
    many = [kept(accepted, pk=n) for n in range(1, 23)]  # 22: shown as 20
    many += [kept(accepted, (date(2024, 12, 1), "left"), pk=23)]  # 1 left: 22 in work of 23
    shown = protect_metrics(*metrics_and_bases(many, [], Q1))["job_retention"]
    assert shown["kept_13_weeks"] == {"cohort": 25, "in_work": 20, "rate": 0.8}
    few = protect_metrics(*metrics_and_bases(many[:5], [], Q1))["job_retention"]
    assert few["kept_13_weeks"] == {"cohort": "*", "in_work": "*", "rate": "*"}
    assert few["kept_26_weeks"] == {"cohort": 0, "in_work": 0, "rate": None}


def test_the_facts_carry_each_change_in_order_in_one_more_query(world: World) -> None:
    episode_a = world.episode(world.person_a)
    episode_a.employment_status_at_referral = "employed"
    episode_a.save()
    by = world.users["employment_specialist"]
    for day, status in ((date(2025, 3, 1), "left"), (date(2025, 2, 1), "at_risk")):
        RetentionChange.objects.create(episode=episode_a, date=day, status=status, recorded_by=by)
    # a job seeker's changes (none can be recorded, but the facts would not read them anyway)
    scope = Episode.objects.all()
    with CaptureQueriesContext(connection) as ctx:
        facts = {f.pk: f for f in episode_facts(scope, Q1.end)}
    assert len(ctx.captured_queries) == 4  # the changes, stays and scores, then the episodes
    in_order = ((date(2025, 2, 1), "at_risk"), (date(2025, 3, 1), "left"))
    assert facts[episode_a.pk].retention == in_order
    assert facts[world.episode(world.person_b).pk].retention == ()
    # accepted 8 January 2025: the 13-week anniversary, 9 April 2025, is in the next quarter
    q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
    found = Facts(Episode.objects.filter(service=world.service_a), q2).metrics()
    assert found["job_retention"]["kept_13_weeks"] == {"cohort": 1, "in_work": 0, "rate": 0.0}
