"""The documented production command serves the app: gunicorn with the production settings,
static files from WhiteNoise, security headers on every answer."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.serving import PROJECT, TLS, gunicorn


def test_gunicorn_serves_the_app_with_production_settings(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.production",
        "SECRET_KEY": "serving-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path}/serving.sqlite3",
        "OPENIPS_VAR_DIR": str(PROJECT / "var"),  # static files collected by make install
        "WEB_CONCURRENCY": "2",
    }
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        health = requests.get(f"{base}/healthz", timeout=5, headers=TLS)
        assert health.json() == {"status": "ok", "database": "ok"}
        assert "max-age=" in health.headers["Strict-Transport-Security"]
        css = requests.get(f"{base}/static/openips/openips.css", timeout=5)
        assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
        assert "max-age" in css.headers.get("Cache-Control", "")
