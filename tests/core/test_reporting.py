"""Report queries go to the reporting database when one is configured; nothing else does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.connection import ConnectionDoesNotExist

from openips.clients.models import Episode
from openips.core.reporting import REPORTING, ReportingRouter, for_reports
from openips.outcomes.facts import episode_facts, job_facts
from tests.conftest import World

WITH_REPLICA = {**settings.DATABASES, REPORTING: {**settings.DATABASES["default"]}}


def test_the_router_sends_only_report_reads_to_the_replica() -> None:
    router = ReportingRouter()
    with override_settings(DATABASES=WITH_REPLICA):
        assert router.db_for_read(Episode) is None
        with for_reports():
            assert router.db_for_read(Episode) == REPORTING
            assert router.db_for_write(Episode) is None
        assert router.db_for_read(Episode) is None
    with for_reports():
        assert router.db_for_read(Episode) is None  # no replica configured: the primary
    assert router.allow_migrate(REPORTING, "clients") is False
    assert router.allow_migrate("default", "clients") is None


def test_report_facts_are_read_from_the_replica_and_record_pages_are_not(world: World) -> None:
    # The replica alias is known to the settings but has no connection in this process, so a
    # query routed to it fails loudly: that is how the test sees where each query went.
    with override_settings(DATABASES=WITH_REPLICA):
        assert Episode.objects.filter(pk=world.person_a.pk).db == "default"
        assert len(list(Episode.objects.all())) == 2
        for read in (
            lambda: episode_facts(Episode.objects.all(), date(2025, 12, 31)),
            lambda: job_facts(Episode.objects.all()),
        ):
            with pytest.raises(ConnectionDoesNotExist):
                read()
    assert len(episode_facts(Episode.objects.all(), date(2025, 12, 31))) == 2


def test_reporting_database_url_adds_the_replica() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://app@primary.internal:5432/openips",
        "REPORTING_DATABASE_URL": "postgres://reader@replica.internal:5432/openips",
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.test",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; from django.conf import settings; django.setup(); "
            "print(json.dumps({k: v['HOST'] for k, v in settings.DATABASES.items()}))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == {
        "default": "primary.internal",
        "progress": "primary.internal",  # import progress: a second connection to the primary
        "reporting": "replica.internal",
    }
