"""Hand-worked cases for in_work_on_anniversary, hospital_use and measures on every edge the
definitions name: a stay spanning the acceptance date, overlapping stays, a same-day discharge,
a baseline 31 days before acceptance, a follow-up 89 days after baseline, ties on a date and
CORE-10's reversed direction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from openips.outcomes.facts import Score
from openips.outcomes.metrics import Period, outcome_metrics
from tests.outcomes.test_metric_boundaries import episode, job

Y2025 = Period(date(2025, 1, 1), date(2025, 12, 31))
ACCEPTED = date(2024, 3, 1)  # 2024 is a leap year: a + 365 = 2025-03-01, a + 364 = 2025-02-28


def metric(key: str, episodes: list[Any], jobs: list[Any] = (), p: Period = Y2025) -> Any:  # type: ignore[assignment]
    return outcome_metrics(episodes, jobs, p)[key]


# in_work_on_anniversary


def test_the_anniversary_cohort_counts_who_ever_worked_and_who_holds_a_job_on_the_day() -> None:
    day = date(2025, 3, 1)  # the first anniversary of acceptance on 2024-03-01
    episodes = [
        episode(1, accepted=ACCEPTED),  # in work on the day: a job ending on it
        episode(2, accepted=ACCEPTED, discharge=date(2024, 9, 1)),  # discharged: still counted
        episode(3, accepted=ACCEPTED),  # worked, but the job ended the day before
        episode(4, accepted=ACCEPTED),  # a job starting the day after: never worked by then
        episode(5, accepted=ACCEPTED, status="employed"),  # in work at referral: not counted
        episode(6, accepted=date(2023, 12, 31)),  # anniversary 2024-12-30: outside the year
        episode(7, accepted=ACCEPTED),  # holds a non-competitive job: worked, not in work
    ]
    jobs = [
        job(1, date(2024, 6, 1), end=day),
        job(2, date(2024, 5, 1)),
        job(3, date(2024, 5, 1), end=date(2025, 2, 28)),
        job(4, date(2025, 3, 2)),
        job(5, date(2024, 5, 1)),
        job(7, date(2024, 5, 1), competitive=False),
    ]
    found = metric("in_work_on_anniversary", episodes, jobs)
    assert found["1_year"] == {"cohort": 5, "ever_worked": 4, "in_work": 2, "rate": 2 / 5}
    assert found["2_years"] == {"cohort": 1, "ever_worked": 0, "in_work": 0, "rate": 0.0}
    assert found["5_years"] == {"cohort": 0, "ever_worked": 0, "in_work": 0, "rate": None}


def test_the_second_and_fifth_anniversaries_are_730_and_1826_days_on() -> None:
    two = episode(1, accepted=date(2023, 1, 1))  # + 730 days = 2024-12-31: not in 2025
    two_in = episode(2, accepted=date(2023, 1, 2))  # + 730 = 2025-01-01
    five = episode(3, accepted=date(2020, 1, 1))  # + 1826 = 2024-12-31 (two leap days)
    five_in = episode(4, accepted=date(2020, 1, 2))  # + 1826 = 2025-01-01
    found = metric("in_work_on_anniversary", [two, two_in, five, five_in])
    assert found["2_years"]["cohort"] == 1 and found["5_years"]["cohort"] == 1


# hospital_use


def stays_of(*stays: tuple[date, date | None]) -> tuple[tuple[date, date | None], ...]:
    return tuple(stays)


def test_a_stay_spanning_acceptance_splits_its_nights_between_the_years() -> None:
    # Admitted 2024-02-20, discharged 2024-03-05: nights 20 Feb .. 4 Mar; 20–29 Feb before
    # (10 nights, 2024 being a leap year), 1–4 Mar during (4 nights).
    e = episode(1, accepted=ACCEPTED, stays=stays_of((date(2024, 2, 20), date(2024, 3, 5))))
    assert metric("hospital_use", [e]) == {
        "cohort": 1,
        "bed_days_before": 10,
        "bed_days_during": 4,
        "admissions_before": 1,
        "admissions_during": 0,
        "admitted_before": 1,
        "admitted_during": 0,
    }


def test_overlapping_stays_count_each_night_once_and_a_same_day_discharge_none() -> None:
    stays = stays_of(
        (date(2023, 6, 1), date(2023, 6, 11)),  # nights 1–10 June
        (date(2023, 6, 5), date(2023, 6, 15)),  # overlaps: adds 11–14 June
        (date(2023, 8, 1), date(2023, 8, 1)),  # same day: an admission, no night
        # Nights 28 Feb to 3 Mar; the year before starts on a − 365, 2 March 2023: 2 nights in
        # it, and an admission before it.
        (date(2023, 2, 28), date(2023, 3, 4)),
        (date(2024, 12, 1), None),  # still in: every night to the window's end, 28 Feb 2025
    )
    e = episode(1, accepted=ACCEPTED, stays=stays)
    found = metric("hospital_use", [e])
    assert found["bed_days_before"] == 14 + 0 + 2
    assert found["bed_days_during"] == 31 + 31 + 28  # Dec, Jan and Feb to 28 Feb 2025
    assert (found["admissions_before"], found["admitted_before"]) == (3, 1)
    assert (found["admissions_during"], found["admitted_during"]) == (1, 1)


def test_the_cohort_is_episodes_whose_first_year_ends_in_the_period() -> None:
    ends_in = episode(1, accepted=date(2024, 1, 3))  # a + 364 = 2025-01-01
    ends_before = episode(2, accepted=date(2024, 1, 2))  # a + 364 = 2024-12-31
    never = episode(3, accepted=None)
    found = metric("hospital_use", [ends_in, ends_before, never])
    assert found["cohort"] == 1 and found["bed_days_before"] == 0


# measures


def score(measure: str, day: date, value: str, measure_id: str) -> Score:
    return Score(measure, day, measure_id, Decimal(value))


MEASURE_ACCEPTED = date(2025, 1, 10)


def measured(pk: int, *scores: Score) -> Any:
    return episode(pk, accepted=MEASURE_ACCEPTED, scores=scores)


def test_a_baseline_within_30_days_and_a_follow_up_90_days_on_are_paired() -> None:
    on_the_edges = measured(
        1,
        score("reqol_10", date(2024, 12, 11), "10", "A"),  # 30 days before acceptance
        score("reqol_10", date(2025, 3, 11), "16", "B"),  # 90 days after the baseline
    )
    found = metric("measures", [on_the_edges])["reqol_10"]
    assert found == {
        "paired": 1,
        "mean_baseline": 10.0,
        "mean_latest": 16.0,
        "mean_change": 6.0,
        "reliably_improved": 1,  # 6 >= 5
        "reliably_deteriorated": 0,
    }


def test_a_baseline_31_days_before_or_a_follow_up_89_days_after_is_not_paired() -> None:
    too_early = measured(
        1,
        score("reqol_10", date(2024, 12, 10), "10", "A"),  # 31 days before acceptance
        score("reqol_10", date(2025, 6, 1), "20", "B"),
    )
    too_soon = measured(
        2,
        score("reqol_10", date(2025, 1, 10), "10", "C"),
        score("reqol_10", date(2025, 4, 9), "20", "D"),  # 89 days after the baseline
    )
    found = metric("measures", [too_early, too_soon])
    assert found["reqol_10"]["paired"] == 0
    assert found["reqol_10"]["mean_change"] is None


def test_ties_on_a_date_take_the_lowest_id_for_the_baseline_and_the_highest_for_the_latest() -> (
    None
):
    e = measured(
        1,
        score("swemwbs", date(2025, 1, 10), "20.00", "M2"),
        score("swemwbs", date(2025, 1, 10), "18.50", "M10"),  # "M10" < "M2" in string order
        score("swemwbs", date(2025, 6, 1), "22.00", "M3"),
        score("swemwbs", date(2025, 6, 1), "25.25", "M4"),
        score("swemwbs", date(2026, 1, 5), "35", "M5"),  # after the period: not the latest
    )
    found = metric("measures", [e])["swemwbs"]
    assert (found["mean_baseline"], found["mean_latest"]) == (18.5, 25.25)
    assert found["mean_change"] == pytest.approx(6.75)
    assert (found["reliably_improved"], found["reliably_deteriorated"]) == (1, 0)


def test_core_10_improves_downwards() -> None:
    better = measured(
        1,
        score("core_10", date(2025, 1, 10), "25", "A"),
        score("core_10", date(2025, 5, 1), "19", "B"),  # down 6: reliably better
    )
    worse = measured(
        2,
        score("core_10", date(2025, 1, 10), "12", "C"),
        score("core_10", date(2025, 5, 1), "18", "D"),  # up 6: reliably worse
    )
    small = measured(
        3,
        score("core_10", date(2025, 1, 10), "12", "E"),
        score("core_10", date(2025, 5, 1), "7", "F"),  # down 5: better, not reliably
    )
    found = metric("measures", [better, worse, small])["core_10"]
    assert found["paired"] == 3
    assert found["mean_change"] == pytest.approx((-6 + 6 - 5) / 3)
    assert (found["reliably_improved"], found["reliably_deteriorated"]) == (1, 1)


def test_every_measure_appears_with_nulls_when_none_is_paired() -> None:
    found = metric("measures", [episode(1)])
    assert set(found) == {"reqol_10", "swemwbs", "core_10", "dialog"}
    assert found["dialog"] == {
        "paired": 0,
        "mean_baseline": None,
        "mean_latest": None,
        "mean_change": None,
        "reliably_improved": 0,
        "reliably_deteriorated": 0,
    }


def test_the_reliable_change_thresholds_are_a_deployment_setting(settings: Any) -> None:
    settings.RELIABLE_CHANGE = {"reqol_10": "7"}
    e = measured(
        1,
        score("reqol_10", date(2025, 1, 10), "10", "A"),
        score("reqol_10", date(2025, 6, 1), "16", "B"),  # up 6: reliable at 5, not at 7
    )
    assert metric("measures", [e])["reqol_10"]["reliably_improved"] == 0


def test_small_numbers_are_withheld_in_all_three() -> None:
    from openips.outcomes.disclosure import protect_metrics
    from openips.outcomes.metrics import metrics_and_bases

    few = [
        episode(n, accepted=ACCEPTED, stays=stays_of((date(2024, 2, 1), date(2024, 2, 21))))
        for n in range(1, 4)
    ]
    shown = protect_metrics(*metrics_and_bases(few, [], Y2025))
    assert set(shown["hospital_use"].values()) == {"*"}  # 3 people: their 60 nights are theirs
    assert shown["in_work_on_anniversary"]["1_year"] == {
        "cohort": "*",
        "ever_worked": 0,
        "in_work": 0,
        "rate": "*",
    }
    many = [
        measured(
            n,
            score("reqol_10", date(2025, 1, 10), "10", f"A{n}"),
            score("reqol_10", date(2025, 6, 1), "20" if n < 3 else "12", f"B{n}"),
        )
        for n in range(1, 11)
    ]
    reqol = protect_metrics(*metrics_and_bases(many, [], Y2025))["measures"]["reqol_10"]
    assert reqol["paired"] == 10 and reqol["mean_baseline"] == 10.0
    assert reqol["reliably_improved"] == "*"  # 2 people
    few_paired = protect_metrics(*metrics_and_bases(many[:5], [], Y2025))["measures"]["reqol_10"]
    assert few_paired["paired"] == "*" and few_paired["mean_change"] == "*"


def test_a_reliable_change_setting_must_name_a_measure_and_a_number_above_0(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from openips.clients.measures import check_settings
    from openips.config.env import env_numbers

    for wrong in ("reqol_10=nan", "reqol_10=-1", "reqol_10", "reqol_10=five"):
        monkeypatch.setenv("OPENIPS_RELIABLE_CHANGE", wrong)
        with pytest.raises(ValueError, match="must be key=number"):
            env_numbers("OPENIPS_RELIABLE_CHANGE")
    monkeypatch.setenv("OPENIPS_RELIABLE_CHANGE", "reqol_10=4, core_10=5.5")
    assert env_numbers("OPENIPS_RELIABLE_CHANGE") == {"reqol_10": "4", "core_10": "5.5"}
    settings.RELIABLE_CHANGE = {"reqol": "4"}
    with pytest.raises(ImproperlyConfigured, match="reqol is not a measure"):
        check_settings()
