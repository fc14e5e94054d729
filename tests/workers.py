"""A worker in a process of its own, as production runs it, on the test's databases."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connections


def run_queued() -> None:
    """One worker pass in this process: every task queued so far runs, then it stops."""
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0")


def database_url() -> str:
    """The test database, for another process; the progress database is found beside it."""
    db = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.test",
        "OPENIPS_UPLOAD_DIR": str(settings.MEDIA_ROOT),
    }
    command = ["worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"]
    return subprocess.Popen([sys.executable, "-m", "openips", *command], env=env)  # noqa: S603


@contextmanager
def worker() -> Iterator[subprocess.Popen[bytes]]:
    process = start_worker()
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    """Poll until `condition` holds: a worker in another process has no signal to wait on."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)
