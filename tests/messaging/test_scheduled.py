"""The schedule sends the reminders: `openips schedule` queues them when they fall due, a worker
sends them through Notify, and the timer firing again sends nothing twice."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from openips.messaging.models import Message
from tests.conftest import World
from tests.messaging.conftest import plan, reachable
from tests.messaging.fake_notify import FakeNotify
from tests.workers import run_queued

MORNING = datetime(2026, 12, 2, 10, 5, tzinfo=ZoneInfo("Europe/London"))  # after 10:00


@pytest.mark.django_db(transaction=True)
def test_the_schedule_sends_tomorrows_reminder_once(world: World, notify: FakeNotify) -> None:
    reachable(world.person_a)
    plan(world.episode(world.person_a), date(2026, 12, 3))
    with time_machine.travel(MORNING):
        queued = StringIO()
        call_command("schedule", stdout=queued)
        assert "queued appointment-reminders (due 2026-12-02 10:00)" in queued.getvalue()
        run_queued()
        call_command("schedule", stdout=StringIO())  # the timer fires again, five minutes on
        run_queued()
    assert len(notify.created) == 1 and notify.created[0]["type"] == "sms"
    assert Message.objects.filter(purpose="appointment_reminder").count() == 1
