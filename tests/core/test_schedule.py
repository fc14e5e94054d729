"""The schedule: each job is queued once for each time it falls due, however many times, and
however many at once, `openips schedule` is called; and the nightly retention job anonymises
exactly the people past the retention period, once, audited."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Episode, Person
from openips.core.models import ScheduledRun
from openips.core.schedule import Job, queue_due
from tests.conftest import World
from tests.workers import database_url, run_queued

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2031, 7, 2, 2, 40, tzinfo=LONDON)  # after the retention job's 02:30


def test_a_job_falls_due_at_the_last_time_its_cron_names_in_the_service_time_zone() -> None:
    nightly = Job("x", "openips.interchange.tasks.discard_stale_uploads", "30 2 * * *")
    assert nightly.last_due(NIGHT) == datetime(2031, 7, 2, 2, 30, tzinfo=LONDON)
    assert nightly.last_due(datetime(2031, 7, 2, 2, 30, tzinfo=LONDON)).day == 2  # on the minute
    assert nightly.last_due(datetime(2031, 7, 2, 2, 29, tzinfo=LONDON)).day == 1
    weekly = Job("y", "openips.interchange.tasks.discard_stale_uploads", "0 7 * * mon")
    assert weekly.last_due(NIGHT) == datetime(2031, 6, 30, 7, 0, tzinfo=LONDON)


@pytest.mark.django_db
def test_each_job_is_queued_once_for_each_time_it_falls_due() -> None:
    first = queue_due(NIGHT)
    assert sorted(run.job for run in first) == sorted(settings.SCHEDULE)
    assert queue_due(NIGHT) == []  # called again before anything new falls due
    assert DBTaskResult.objects.count() == len(settings.SCHEDULE)
    with time_machine.travel(NIGHT.replace(minute=46)):  # the 15-minute sweep only
        assert [run.job for run in queue_due()] == ["discard-stale-uploads"]
    paths = {r.task_path for r in DBTaskResult.objects.all()}
    assert paths == {spec["task"] for spec in settings.SCHEDULE.values()}


@pytest.mark.django_db(transaction=True)
def test_two_schedule_runs_at_once_queue_each_job_once() -> None:
    env = {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "openips.config.settings.test"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "openips", "schedule"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert ScheduledRun.objects.count() == len(settings.SCHEDULE)
    assert DBTaskResult.objects.count() == len(settings.SCHEDULE)
    assert sum(out.count("queued ") for out in outputs) == len(settings.SCHEDULE)


def discharged(person: Person, on: date) -> None:
    Episode.objects.filter(person=person).update(discharge_date=on, discharge_reason="other")


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_anonymises_those_past_retention_once_and_audits_it(world: World) -> None:
    discharged(world.person_a, date(2025, 6, 30))  # the period ended on 2031-06-30
    discharged(world.person_b, date(2025, 7, 2))  # the period ends on 2031-07-02: not yet
    out = StringIO()
    with time_machine.travel(NIGHT):
        call_command("retention", stdout=out)  # the dry run
        assert "svc-a\tA001\tlast discharged 2025-06-30" in out.getvalue()
        assert "1 person would be anonymised" in out.getvalue()
        assert Person.objects.get(pk=world.person_a.pk).client_id == "A001"

        call_command("schedule", stdout=StringIO())
        call_command("schedule", stdout=StringIO())  # the timer fires again: nothing new
        run_queued()
        run_queued()

    person_a, person_b = (Person.objects.get(pk=p.pk) for p in (world.person_a, world.person_b))
    assert (person_a.client_id, person_a.nhs_number) == (f"ANON{person_a.pk}", "")
    assert person_b.nhs_number == world.person_b.nhs_number
    event = AuditEvent.objects.get(action=AuditAction.ANONYMISE)  # one: the job ran once
    assert (event.person_id, event.actor_id, event.actor_label) == (
        person_a.pk,
        None,
        "the schedule",
    )
    result: Any = DBTaskResult.objects.get(task_path__endswith="anonymise_past_retention")
    assert result.return_value == {"due": 1, "anonymised": [f"svc-a/{world.person_a.client_id}"]}


@pytest.mark.django_db
def test_the_retention_job_run_twice_anonymises_each_person_once(world: World) -> None:
    from openips.governance import retention

    discharged(world.person_a, date(2025, 3, 1))
    assert [d.person_id for d in retention.anonymise_due(date(2032, 1, 1))] == [world.person_a.pk]
    assert retention.anonymise_due(date(2032, 1, 1)) == []
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE).count() == 1
