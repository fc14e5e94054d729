"""The documented production command serves the app: gunicorn with the production settings,
static files from WhiteNoise, security headers on every answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

import openips

BIN = Path(sys.executable).with_name("gunicorn")  # installed beside the interpreter
PROJECT = Path(openips.__file__).parents[2]
TLS = {"X-Forwarded-Proto": "https"}  # as the load balancer says after terminating TLS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_serves_the_app_with_production_settings(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.production",
        "SECRET_KEY": "serving-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path}/serving.sqlite3",
        "OPENIPS_VAR_DIR": str(PROJECT / "var"),  # static files collected by make install
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    server = subprocess.Popen(  # noqa: S603  (our own documented command)
        [str(BIN), "-c", "python:openips.config.gunicorn", "openips.config.wsgi"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = requests.get(f"{base}/healthz", timeout=5, headers=TLS)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        assert health.json() == {"status": "ok", "database": "ok"}
        assert "max-age=" in health.headers["Strict-Transport-Security"]
        css = requests.get(f"{base}/static/openips/openips.css", timeout=5)
        assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
        assert "max-age" in css.headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(timeout=30)
