"""The weekly summary: one email an ISO week to each specialist and team leader with an
address, counting their caseload's prompts by kind, with a link; names of clients never."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from openips.accounts.roles import Role
from openips.clients.models import Episode
from openips.messaging import summaries
from openips.messaging.models import Message, Status
from openips.messaging.tasks import send_weekly_summaries
from tests.conftest import World
from tests.messaging.fake_notify import FakeNotify

MONDAY = date(2026, 12, 7)


@pytest.fixture
def staff(world: World) -> World:
    es, leader = world.users[Role.EMPLOYMENT_SPECIALIST], world.users[Role.TEAM_LEADER]
    world.service_a.staff.filter(staff_id="ES01").update(user=es)
    for user, email in ((es, "esme@example.nhs.uk"), (leader, "lee@example.nhs.uk")):
        user.email = email
        user.save()
    return world


def test_each_specialist_and_leader_gets_their_counts(
    staff: World, notify: FakeNotify, settings: Any
) -> None:
    assert summaries.send_summaries(MONDAY + timedelta(days=2)) == 2
    by_address = {n["to"]: n for n in notify.created}
    assert set(by_address) == {"esme@example.nhs.uk", "lee@example.nhs.uk"}
    mine = by_address["esme@example.nhs.uk"]
    assert mine["template_id"] == settings.NOTIFY_TEMPLATES["weekly_summary_email"]
    said = mine["personalisation"]
    # Client A: not seen since January, in work since March with no support or counselling.
    assert said["not_seen"] == "1" and said["in_work_support"] == "1"
    assert said["no_benefits_counselling"] == "1" and said["total"] == "3"
    assert said["urgent"] == "2" and said["week_of"] == "7 December 2026"
    assert said["link"] == "http://127.0.0.1:8000/casework/caseload/"
    assert by_address["lee@example.nhs.uk"]["personalisation"]["link"].endswith("/caseload/team/")
    assert "A001" not in str(notify.created) and "Test" not in str(said)  # counts, no names
    assert Message.objects.filter(status=Status.CREATED, person=None).count() == 2


def test_once_a_week_however_often_it_runs(staff: World, notify: FakeNotify) -> None:
    assert send_weekly_summaries.call() == 2
    assert send_weekly_summaries.call() == 0
    assert len(notify.created) == 2


def test_a_new_iso_week_gets_a_new_summary(staff: World, notify: FakeNotify) -> None:
    summaries.send_summaries(MONDAY + timedelta(days=6))  # Sunday
    summaries.send_summaries(MONDAY + timedelta(days=7))  # the next Monday
    assert len(notify.created) == 4


def test_no_address_or_an_ended_account_means_no_email(staff: World, notify: FakeNotify) -> None:
    leader, es = staff.users[Role.TEAM_LEADER], staff.users[Role.EMPLOYMENT_SPECIALIST]
    leader.email = ""
    leader.save()
    es.is_active = False
    es.save()
    assert summaries.send_summaries(MONDAY) == 0 and notify.created == []


def test_nothing_due_means_no_email(staff: World, notify: FakeNotify) -> None:
    Episode.objects.filter(service=staff.service_a).update(discharge_date=date(2025, 6, 1))
    assert summaries.send_summaries(MONDAY) == 0 and notify.created == []
