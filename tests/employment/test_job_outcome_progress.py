"""How far a client in work has come towards IPS in Primary Care's job outcome: the weeks of the
last 16 that count so far, and the day it is reached if the jobs held go on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from openips.employment.job_outcome import progress

START = date(2026, 6, 1)
BORN = date(1990, 1, 1)


@dataclass(frozen=True)
class Held:
    start: date
    end: date | None = None
    hours: Decimal | None = Decimal("20")
    pay: Decimal | None = Decimal("13.00")


def test_a_month_into_a_continuing_job() -> None:
    found = progress([Held(START)], BORN, 7, START + timedelta(days=30))
    assert found.weeks == 4  # weeks ending on days 30, 23, 16 and 9 are whole; day 2's is not
    assert found.reached == START + timedelta(days=90)


def test_a_job_below_the_minimum_wage_counts_no_weeks() -> None:
    found = progress([Held(START, pay=Decimal("12.70"))], BORN, 7, START + timedelta(days=60))
    assert found == type(found)(0, None)  # 12.70 is a penny under the 2026 rate


def test_a_reached_outcome_is_in_the_past_and_all_recent_weeks_count() -> None:
    found = progress([Held(START)], BORN, 7, START + timedelta(days=200))
    assert found.weeks == 16 and found.reached == START + timedelta(days=90)


def test_a_job_that_ended_leaves_the_weeks_it_covered() -> None:
    ended = Held(START, end=START + timedelta(days=41))  # six whole weeks
    found = progress([ended], BORN, 7, START + timedelta(days=55))
    assert found.weeks == 6 and found.reached is None


def test_sixteen_hours_is_a_separate_bar() -> None:
    part_time = [Held(START, hours=Decimal("10"))]
    assert progress(part_time, BORN, 7, START + timedelta(days=30)).weeks == 4
    assert progress(part_time, BORN, 16, START + timedelta(days=30)).weeks == 0
