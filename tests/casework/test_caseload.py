from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.casework.caseload import caseload, job_outcome_line, prompts_for, support_due
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core.formatting import format_date
from openips.employment.job_outcome import Progress
from openips.organisations.programmes import SupportLimits
from openips.organisations.services import set_programme
from tests.conftest import World, make_person, signed_in

TODAY = date(2026, 6, 30)


def episode(**kw: Any) -> Any:
    base = {
        "accepted_date": TODAY - timedelta(days=10),
        "employment_status_at_referral": "unemployed",
        "last_client_contact": TODAY - timedelta(days=2),
        "first_employer_contact": None,
        "vocational_profile_date": None,
        "latest_retention": None,
        "latest_retention_date": None,
    }
    return SimpleNamespace(**{**base, **kw})


def job(**kw: Any) -> Any:
    base = {
        "start_date": TODAY - timedelta(days=40),
        "start_confirmed": True,
        "last_support": TODAY - timedelta(days=5),
        "benefits_first": True,
    }
    return SimpleNamespace(**{**base, **kw})


def texts(e: Any, j: Any = None) -> list[str]:
    return [p.text for p in prompts_for(e, j, TODAY)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (20, []),
        (21, ["First employer contact due by day 30 (day 21)"]),
        (29, ["First employer contact due by day 30 (day 29)"]),
        (30, ["First employer contact overdue (day 30)"]),
    ],
)
def test_first_employer_contact_is_due_from_day_21_and_overdue_from_day_30(
    day: int, expected: list[str]
) -> None:
    assert texts(episode(accepted_date=TODAY - timedelta(days=day))) == expected


def test_no_employer_prompt_once_contacted_or_for_job_retention() -> None:
    late = TODAY - timedelta(days=40)
    assert texts(episode(accepted_date=late, first_employer_contact=late)) == []
    assert texts(episode(accepted_date=late, employment_status_at_referral="employed")) == []


@pytest.mark.parametrize(("days", "inactive"), [(27, False), (28, True)])
def test_not_seen_for_28_days_is_inactive(days: int, inactive: bool) -> None:
    e = episode(first_employer_contact=TODAY, last_client_contact=TODAY - timedelta(days=days))
    assert (f"Not seen for {days} days" in texts(e)) is inactive


def test_in_work_support_schedule() -> None:
    start = date(2026, 1, 1)
    assert support_due(start, None) == date(2026, 1, 4)  # within 3 days
    assert support_due(start, date(2026, 1, 20)) == date(2026, 1, 27)  # weekly in month one
    assert support_due(start, date(2026, 2, 10)) == date(2026, 3, 12)  # monthly after


def test_job_prompts_anniversary_and_benefits() -> None:
    e = episode(first_employer_contact=TODAY)
    start = TODAY - timedelta(days=91)  # 13-week anniversary is today
    found = texts(
        e, job(start_date=start, benefits_first=False, last_support=TODAY - timedelta(days=1))
    )
    assert f"13-week job anniversary on {format_date(TODAY)}" in found
    assert "No benefits counselling recorded before the job start" in found
    assert not any(
        "anniversary" in t for t in texts(e, job(start_date=start, start_confirmed=False))
    )


def fill(world: World, count: int) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    for n in range(count):
        person = make_person(world.service_a, world.team_a, es, f"Q{count}-{n}", "")
        ep = person.episodes.get()
        Contact.objects.create(
            service=world.service_a,
            contact_id=f"QC{count}-{n}",
            date=date(2025, 2, 1),
            staff=es,
            contact_with="client",
            episode=ep,
            mode="phone",
            purpose="engagement",
        )


def test_team_caseload_runs_the_same_queries_for_5_and_200_episodes(world: World) -> None:
    client = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("casework:team_caseload")
    counts = []
    for size in (5, 195):
        fill(world, size)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert Episode.objects.filter(service=world.service_a).count() == 201
    assert counts[0] == counts[1]


def test_team_leader_sees_prompts_and_caseload_per_fte(world: World) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    es.fte = Decimal("0.5")
    es.save()
    page = (
        signed_in(world.users[Role.TEAM_LEADER])
        .get(reverse("casework:team_caseload"))
        .content.decode()
    )
    assert "Test A001" in page and "Esme A" in page
    # In work since March 2025 with no support or benefits counselling recorded.
    assert "In work" in page
    assert "In-work support due since 6 March 2025" in page
    assert "No benefits counselling recorded before the job start" in page
    assert "Not seen for" in page
    assert "Within 20" in page


def test_where_job_outcomes_count_a_client_in_work_shows_how_far_they_have_come(
    world: World,
) -> None:
    job = world.jobs["a"]
    job.start_date, job.hours_per_week, job.hourly_pay = TODAY - timedelta(days=30), 20, 13
    job.save()
    user = world.users[Role.TEAM_LEADER]
    with CaptureQueriesContext(connection) as without:
        rows, _ = caseload(user, TODAY)  # IPS in secondary care does not count them
    assert all(r.job_outcome == "" for r in rows)
    set_programme(world.users[Role.ADMINISTRATOR], world.service_a, "ips_primary_care", TODAY)
    with CaptureQueriesContext(connection) as ctx:
        rows, _ = caseload(user, TODAY)
    (row,) = [r for r in rows if r.job is not None]
    reached = format_date(TODAY + timedelta(days=60))
    assert row.job_outcome == (
        f"Job outcome: 4 of 16 weeks so far, reached on {reached} if the job continues"
    )
    assert len(ctx.captured_queries) == len(without.captured_queries) + 1


def test_a_reached_job_outcome_says_when() -> None:
    assert (
        job_outcome_line(Progress(16, date(2026, 5, 1)), TODAY)
        == "Job outcome reached on 1 May 2026"
    )
    assert job_outcome_line(Progress(2, None), TODAY) == "Job outcome: 2 of 16 weeks so far"


def retention(**kw: Any) -> Any:
    """A client employed at referral, seen two days ago, with no change in work recorded."""
    return episode(employment_status_at_referral="employed", **kw)


def prompts(e: Any) -> list[tuple[str, bool, str]]:
    return [(p.text, p.urgent, p.kind) for p in prompts_for(e, None, TODAY)]


@pytest.mark.parametrize(("days", "prompted"), [(13, False), (14, True)])
def test_an_at_risk_client_not_seen_for_14_days_is_urgent(days: int, prompted: bool) -> None:
    e = retention(last_client_contact=TODAY - timedelta(days=days))
    urgent = (f"At risk: not seen for {days} days", True, "retention_at_risk")
    assert prompts(e) == ([urgent] if prompted else [])
    # never seen: counted from acceptance, and the generic prompt is not said twice at 4 weeks
    never = prompts(retention(last_client_contact=None, accepted_date=TODAY - timedelta(days=30)))
    assert never == [("At risk: not seen for 30 days", True, "retention_at_risk")]


def test_back_at_work_a_client_is_not_seen_prompt_only_at_4_weeks() -> None:
    back = {"latest_retention": "back_at_work", "latest_retention_date": TODAY - timedelta(days=40)}
    assert prompts(retention(last_client_contact=TODAY - timedelta(days=14), **back)) == []
    found = prompts(retention(last_client_contact=TODAY - timedelta(days=28), **back))
    assert found == [("Not seen for 28 days", True, "not_seen")]


@pytest.mark.parametrize(("weeks", "days"), [("13", 91), ("26", 182)])
@pytest.mark.parametrize(("before", "prompted"), [(15, False), (14, True), (0, True), (-1, False)])
def test_a_retention_review_is_prompted_in_the_14_days_before_it(
    weeks: str, days: int, before: int, prompted: bool
) -> None:
    """Due `days` after acceptance; today is `before` days before that day (-1: the day after)."""
    due = TODAY + timedelta(days=before)
    e = retention(accepted_date=due - timedelta(days=days), latest_retention="adjusted_role")
    review = (f"{weeks}-week retention review due by {format_date(due)}", False, "retention_review")
    assert (review in prompts(e)) is prompted
    assert (review in prompts(episode(accepted_date=e.accepted_date))) is False  # job seekers


def test_left_the_job_asks_for_the_next_step_instead_of_a_review() -> None:
    left = TODAY - timedelta(days=3)
    e = retention(
        accepted_date=TODAY - timedelta(days=91),  # the 13-week review would be due today
        latest_retention="left",
        latest_retention_date=left,
        last_client_contact=TODAY - timedelta(days=20),  # not at risk: no fortnightly prompt
    )
    assert prompts(e) == [
        (
            f"Left the job on {format_date(left)}: agree the next step (job search or discharge)",
            False,
            "retention_left",
        )
    ]


def test_retention_prompts_are_counted_by_kind() -> None:
    from openips.casework.caseload import PromptKind
    from openips.messaging.catalogue import WEEKLY_SUMMARY_EMAIL

    kinds = {"retention_at_risk", "retention_review", "retention_left"}
    assert kinds <= set(PromptKind.values) <= set(WEEKLY_SUMMARY_EMAIL.fields)


LIMITS = SupportLimits(job_search_days=273, in_work_days=122, prompt_days_before=28)


@pytest.mark.parametrize(
    ("days_in", "expected", "urgent"),
    [
        (244, [], False),
        (245, ["Job search time limit on {ends} (28 days left)"], False),
        (272, ["Job search time limit on {ends} (1 days left)"], False),
        (273, ["Job search time limit reached on {ends}: agree the next step"], True),
    ],
)
def test_a_time_limited_programme_prompts_before_the_job_search_ends(
    days_in: int, expected: list[str], urgent: bool
) -> None:
    accepted = TODAY - timedelta(days=days_in)
    e = episode(accepted_date=accepted, first_employer_contact=accepted)
    ends = format_date(accepted + timedelta(days=273))
    found = [p for p in prompts_for(e, None, TODAY, LIMITS) if p.kind == "time_limit"]
    assert [p.text for p in found] == [t.format(ends=ends) for t in expected]
    assert all(p.urgent == urgent for p in found)
    assert not [p for p in prompts_for(e, None, TODAY) if p.kind == "time_limit"]  # no limits


def test_in_work_support_ends_from_the_job_start() -> None:
    start = TODAY - timedelta(days=100)
    e = episode(accepted_date=TODAY - timedelta(days=400), first_employer_contact=TODAY)
    found = [p.text for p in prompts_for(e, job(start_date=start), TODAY, LIMITS)]
    ends = format_date(start + timedelta(days=122))
    assert f"In-work support time limit on {ends} (22 days left)" in found
    assert not any(t.startswith("Job search") for t in found)


def test_the_caseload_says_which_programme_its_prompts_follow(world: World) -> None:
    client = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("casework:team_caseload")
    assert "IPS in secondary mental health" in client.get(url).content.decode()
    today = timezone.localdate()
    set_programme(world.users[Role.ADMINISTRATOR], world.service_a, "ips_primary_care", today)
    page = client.get(url).content.decode()
    assert "IPS in Primary Care: about 273 days from acceptance to find work" in page
    assert "prompts come 28 days before each limit" in page
