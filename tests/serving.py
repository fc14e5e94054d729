"""Start the documented production server, gunicorn, for tests that need a real one: the
serving test, and the load and failure tests (a test live server holds a thread and a database
connection per client socket; gunicorn bounds them to workers × threads, as in production)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

import openips

BIN = Path(sys.executable).with_name("gunicorn")  # installed beside the interpreter
PROJECT = Path(openips.__file__).parents[2]
TLS = {"X-Forwarded-Proto": "https"}  # as the load balancer says after terminating TLS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url(settings: dict[str, Any]) -> str:
    """The URL of the database a connection's settings name (the test database, in a test)."""
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{settings['USER']}{password}@{host}/{settings['NAME']}"


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """Serve with `gunicorn -c python:openips.config.gunicorn openips.config.wsgi` and yield
    its address once /healthz answers. The log goes to a file: a pipe nobody reads would fill
    under load and stall the server."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603  (our own documented command)
            [str(BIN), "-c", "python:openips.config.gunicorn", "openips.config.wsgi"],
            env={**os.environ, **env, "BIND": f"127.0.0.1:{port}"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # workers import the whole app before they answer
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=10, headers=TLS)
                break
            except (requests.ConnectionError, requests.Timeout):
                assert server.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"gunicorn did not start:\n{log.read_text()}"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
