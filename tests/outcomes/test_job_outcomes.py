"""The job outcome of IPS in Primary Care (metrics.md, job_outcomes): hand-worked cases on each
edge of the definition, the fast search against the definition read day by day, and the key
through `openips report`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from openips.employment.job_outcome import outcome_date, qualifies
from openips.employment.minimum_wage import minimum_rate, table
from openips.outcomes.disclosure import protect_metrics
from openips.outcomes.facts import JobFact
from openips.outcomes.metrics import Period, metrics_and_bases, outcome_metrics
from tests.factories import EpisodeFactory, JobFactory, PersonFactory, ServiceFactory
from tests.outcomes.test_metric_boundaries import episode

S = date(2025, 6, 2)  # a Monday, after April 2025's rates: 12.21 at 21 and over, 10.00 at 18–20
BORN = date(1990, 5, 5)  # 35 on S


def day(n: int) -> date:
    return S + timedelta(days=n)


def job(
    start: date = S,
    end: date | None = None,
    hours: str | None = "37.5",
    pay: str | None = "15.00",
    episode: int = 1,
) -> JobFact:
    return JobFact(
        episode=episode,
        start=start,
        end=end,
        hours=None if hours is None else Decimal(hours),
        pay=None if pay is None else Decimal(pay),
        competitive=True,
        employer=None,
        job_type="",
        title="Clerk",
    )


def outcome(*jobs: JobFact, birth: date | None = BORN, hours: int = 7) -> date | None:
    return outcome_date(jobs, birth, hours)


# The minimum wage table.


def test_the_data_file_holds_the_published_rates() -> None:
    assert [(r.starts.isoformat(), [str(rate) for _, rate in r.bands]) for r in table()] == [
        ("2021-04-01", ["8.91", "8.36", "6.56", "4.62"]),
        ("2022-04-01", ["9.50", "9.18", "6.83", "4.81"]),
        ("2023-04-01", ["10.42", "10.18", "7.49", "5.28"]),
        ("2024-04-01", ["11.44", "11.44", "8.60", "6.40"]),
        ("2025-04-01", ["12.21", "12.21", "10.00", "7.55"]),
        ("2026-04-01", ["12.71", "12.71", "10.85", "8.00"]),
    ]
    assert [lowest for lowest, _ in table()[0].bands] == [23, 21, 18, 0]


@pytest.mark.parametrize(
    ("age", "rate"),
    [
        *[(40, "10.42"), (23, "10.42"), (22, "10.18"), (21, "10.18")],
        *[(20, "7.49"), (18, "7.49"), (17, "5.28"), (15, "5.28"), (None, "10.42")],
    ],
)
def test_the_rate_is_the_highest_band_the_age_reaches(age: int | None, rate: str) -> None:
    assert minimum_rate(date(2023, 9, 1), age) == Decimal(rate)


def test_the_rate_is_the_latest_row_in_force() -> None:
    assert minimum_rate(date(2024, 3, 31), 30) == Decimal("10.42")
    assert minimum_rate(date(2024, 4, 1), 30) == Decimal("11.44")
    assert minimum_rate(date(2030, 1, 1), 19) == Decimal("10.85")  # the last row goes on
    assert minimum_rate(date(2019, 6, 1), 30) == Decimal("8.91")  # before the first: the first
    assert minimum_rate(date(2019, 6, 1), 17) == Decimal("4.62")


# Which job starts qualify.


def test_pay_a_penny_under_the_rate_does_not_qualify_and_exactly_the_rate_does() -> None:
    assert outcome(job(pay="12.20")) is None
    assert outcome(job(pay="12.21")) == day(90)


def test_a_job_without_hours_or_pay_does_not_qualify() -> None:
    assert outcome(job(hours=None)) is None
    assert outcome(job(pay=None)) is None
    # Nor does it fill another job's gap.
    assert outcome(job(end=day(49)), job(start=day(50), pay=None)) is None


def test_seven_and_sixteen_hours() -> None:
    assert outcome(job(hours="7"), hours=7) == day(90)
    assert outcome(job(hours="6.99"), hours=7) is None
    assert outcome(job(hours="15.9"), hours=16) is None
    assert outcome(job(hours="16"), hours=16) == day(90)


def test_an_18th_birthday_in_the_weeks_does_not_change_the_rate_judged_at_the_start() -> None:
    # 17 on the start date, 18 a month later: the under-18 rate (7.55) is enough.
    assert outcome(job(pay="7.55"), birth=date(2007, 7, 2)) == day(90)
    assert outcome(job(pay="7.54"), birth=date(2007, 7, 2)) is None
    # 18 on the start date itself: 10.00 is needed.
    assert outcome(job(pay="7.55"), birth=date(2007, 6, 2)) is None
    assert outcome(job(pay="10.00"), birth=date(2007, 6, 2)) == day(90)


def test_a_21st_birthday_in_the_weeks_does_not_change_the_rate_judged_at_the_start() -> None:
    # 20 on the start date, 21 a fortnight later: the 18–20 rate (10.00) is enough.
    assert outcome(job(pay="10.00"), birth=date(2004, 6, 16)) == day(90)
    # In 2023/24 the 21–22 band (10.18) was below the top rate (10.42).
    start = date(2023, 5, 1)
    assert qualifies(job(start, pay="10.18"), date(2002, 5, 1), 7)  # 21 that day
    assert not qualifies(job(start, pay="10.17"), date(2002, 5, 1), 7)
    assert qualifies(job(start, pay="7.49"), date(2002, 5, 2), 7)  # still 20 that day
    assert not qualifies(job(start, pay="10.41"), date(1999, 5, 1), 7)  # 24: the top rate


def test_a_job_started_before_the_first_row_is_judged_by_the_first_row() -> None:
    start = date(2020, 6, 1)
    assert outcome(job(start, pay="8.91")) == start + timedelta(days=90)
    assert outcome(job(start, pay="8.90")) is None


def test_without_a_date_of_birth_the_top_rate_applies() -> None:
    assert outcome(job(pay="12.20"), birth=None) is None  # enough at 18–20, not at the top
    assert outcome(job(pay="12.21"), birth=None) == day(90)


# The weeks.


def test_one_continuous_job_reaches_the_outcome_90_days_after_its_start() -> None:
    # The 16 weeks ending on s + 90 are [s − 21, s + 90]: the last 13 are covered.
    assert outcome(job()) == day(90)
    assert outcome(job(end=day(90))) == day(90)  # the job may end on the outcome date
    assert outcome(job(end=day(89))) is None  # one day short: 12 weeks at most


def test_a_gap_of_one_week_still_leaves_13_of_16() -> None:
    # Covered [s, s + 34] and from s + 42: the 16 weeks ending on s + 97 are [s − 14, s + 97];
    # weeks 3–7 ([s, s + 34]) and 9–16 ([s + 42, s + 97]) count: 13. On s + 96 the gap cuts
    # two weeks and the first no longer fits: 11.
    gap = (job(end=day(34)), job(start=day(42)))
    assert outcome(*gap) == day(97)


def test_13_of_16_weeks_exactly_counts_and_12_does_not() -> None:
    # One week, three weeks off, then 12 weeks [s + 28, s + 111]: on s + 111 the weeks are
    # [s, s + 111]; the first and the last 12 count, 13 in all.
    assert outcome(job(end=day(6)), job(start=day(28), end=day(111))) == day(111)
    # The second job a day shorter: 12 on s + 111, and later the first week has gone.
    assert outcome(job(end=day(6)), job(start=day(28), end=day(110))) is None
    # Four weeks off: 12 on s + 111, so the outcome waits for 13 weeks of the second job.
    assert outcome(job(end=day(6)), job(start=day(35))) == day(125)


def test_overlapping_jobs_count_as_their_union() -> None:
    # Neither alone lasts 13 weeks; together they cover [s, s + 120].
    assert outcome(job(end=day(50))) is None
    assert outcome(job(start=day(40), end=day(120))) is None
    assert outcome(job(end=day(50)), job(start=day(40), end=day(120))) == day(90)
    # A job ending the day before the next starts leaves no gap either.
    assert outcome(job(end=day(49)), job(start=day(50))) == day(90)


def test_the_outcome_is_never_before_the_first_qualifying_start() -> None:
    # A low-paid job before does not count towards the weeks.
    assert outcome(job(start=day(-200), pay="5.00"), job()) == day(90)


# The metric.

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))


def metric(episodes: list[Any], jobs: list[JobFact]) -> dict[str, Any]:
    value: dict[str, Any] = outcome_metrics(episodes, jobs, Q1)["job_outcomes"]
    return value


def test_an_outcome_on_the_first_and_last_day_of_the_period_counts() -> None:
    def counted(start: date) -> int:
        jobs = [job(start, pay="12.71", episode=1)]
        return int(metric([episode(1, birth=None)], jobs)["outcomes"])

    assert counted(date(2024, 10, 3)) == 1  # outcome 1 January 2025
    assert counted(date(2024, 12, 31)) == 1  # outcome 31 March 2025
    assert counted(date(2024, 10, 2)) == 0  # 31 December 2024
    assert counted(date(2025, 1, 1)) == 0  # 1 April 2025


def test_outcomes_at_7_and_16_hours_and_the_median_days_from_acceptance() -> None:
    episodes = [
        episode(1, accepted=date(2024, 9, 1)),
        episode(2, accepted=date(2024, 8, 1)),
        episode(3, accepted=date(2024, 10, 1)),
        episode(4, accepted=None),  # counted, but it has no days from acceptance
        episode(5),  # its outcome is after the period
        episode(6),  # no job
    ]
    jobs = [
        job(date(2024, 10, 3), hours="16", pay="12.00", episode=1),  # 1 January: 122 days
        job(date(2024, 11, 2), hours="8", pay="12.00", episode=2),  # 31 January: 183 days
        job(date(2024, 12, 1), hours="20", pay="12.00", episode=3),  # 1 March: 151 days
        job(date(2024, 12, 1), hours="20", pay="12.00", episode=4),
        job(date(2025, 2, 1), hours="20", pay="12.00", episode=5),
    ]
    assert metric(episodes, jobs) == {
        "outcomes": 4,
        "outcomes_16_hours": 3,
        "median_days_from_acceptance": 151,
    }
    # An even number of values: the mean of the middle two.
    even = metric(episodes[:2], jobs)
    assert even["median_days_from_acceptance"] == pytest.approx(152.5)
    assert metric([], []) == {
        "outcomes": 0,
        "outcomes_16_hours": 0,
        "median_days_from_acceptance": None,
    }


def test_suppress_withholds_small_counts_and_a_median_on_few_episodes() -> None:
    episodes = [episode(n, accepted=date(2024, 9, 1)) for n in range(1, 13)]
    jobs = [job(date(2024, 11, 1), hours="10", pay="12.00", episode=n) for n in range(1, 13)]
    jobs[0] = job(date(2024, 11, 1), hours="20", pay="12.00", episode=1)
    shown = protect_metrics(*metrics_and_bases(episodes, jobs, Q1))["job_outcomes"]
    assert shown == {"outcomes": 10, "outcomes_16_hours": "*", "median_days_from_acceptance": 151}
    few = protect_metrics(*metrics_and_bases(episodes[:5], jobs, Q1))["job_outcomes"]
    assert few == {"outcomes": "*", "outcomes_16_hours": "*", "median_days_from_acceptance": "*"}


# The fast search against the definition read day by day.


def by_definition(jobs: list[JobFact], birth: date | None, hours: int) -> date | None:
    """Every day from the first qualifying start, each of its 16 weeks checked day by day. An
    outcome is never later than 90 days after the last start, so 200 days past the last date
    given is far enough."""
    good = [j for j in jobs if qualifies(j, birth, hours)]
    if not good:
        return None
    first = min(j.start for j in good)
    last = max(j.end or j.start for j in good) + timedelta(days=200)
    covered = {
        j.start + timedelta(days=n)
        for j in good
        for n in range(((j.end or last) - j.start).days + 1)
    }
    a = first
    while a <= last:
        weeks = [a - timedelta(days=111 - 7 * (k - 1)) for k in range(1, 17)]
        if sum(all(w + timedelta(days=i) in covered for i in range(7)) for w in weeks) >= 13:
            return a
        a += timedelta(days=1)
    return None


spans = st.tuples(
    st.integers(0, 400),  # to June 2026: April 2026's rates too
    st.one_of(st.none(), st.integers(0, 140)),
    st.sampled_from([None, "6", "7", "15", "16", "30"]),
    st.sampled_from([None, "9.00", "12.21", "14.00"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(spans, max_size=5), st.sampled_from([None, date(2006, 8, 1), BORN]))
def test_the_search_finds_what_the_definition_says(
    drawn: list[tuple[int, int | None, str | None, str | None]], birth: date | None
) -> None:
    jobs = [
        job(day(start), None if length is None else day(start + length), hours, pay)
        for start, length, hours, pay in drawn
    ]
    for hours in (7, 16):
        assert outcome_date(jobs, birth, hours) == by_definition(jobs, birth, hours)


# Through the command.


@pytest.mark.django_db
def test_openips_report_prints_the_job_outcomes() -> None:
    service = ServiceFactory(code="JOBS")
    for n, (hours, pay) in enumerate([("16", "12.21"), ("10", "12.21"), ("30", "12.20")]):
        person = PersonFactory(service=service, date_of_birth=date(1990, 1, 1))
        e = EpisodeFactory(person=person, accepted_date=date(2025, 1, 8))
        JobFactory(
            episode=e,
            start_date=date(2025, 5, 1) + timedelta(days=n),
            hours_per_week=Decimal(hours),
            hourly_pay=Decimal(pay),
        )
    args = ("report", "--service", "JOBS", "--start", "2025-07-01", "--end", "2025-09-30")
    out = StringIO()
    call_command(*args, stdout=out)
    # Outcomes on 30 and 31 July, 203 and 204 days after acceptance; the third is paid a
    # penny under.
    assert json.loads(out.getvalue())["metrics"]["job_outcomes"] == {
        "outcomes": 2,
        "outcomes_16_hours": 1,
        "median_days_from_acceptance": 203.5,
    }
    out = StringIO()
    call_command(*args, "--format", "csv", stdout=out)
    rows = out.getvalue().splitlines()
    assert "all,job_outcomes.outcomes,2" in rows
    assert "all,job_outcomes.outcomes_16_hours,1" in rows
    assert "all,job_outcomes.median_days_from_acceptance,203.5" in rows
