from __future__ import annotations

import os
import re
import subprocess
import sys
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

from openips.accounts.roles import Role
from tests.conftest import World, signed_in


def test_healthz_answers_without_sign_in_and_checks_the_database(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(db: None) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_not_found_uses_the_nhs_layout_and_shows_no_internals(world: World) -> None:
    response = signed_in(world.users[Role.TEAM_LEADER]).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert 'class="nhsuk-header' in page
    assert "Traceback" not in page
    assert "urlpatterns" not in page


@pytest.mark.urls("tests.core.failing_urls")
def test_a_server_error_shows_the_nhs_500_page_without_a_stack_trace(world: World) -> None:
    client = signed_in(world.users[Role.TEAM_LEADER])
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page
    assert "secret detail" not in page


@pytest.mark.urls("tests.core.failing_urls")
def test_the_500_page_renders_when_the_database_itself_is_down(world: World) -> None:
    # Signed in, so the header would read the session and the user: the page must not.
    client = signed_in(world.users[Role.TEAM_LEADER])
    client.raise_request_exception = False
    down = OperationalError("could not connect to server")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=down):
        response = client.get("/clients/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert 'class="nhsuk-header' in page
    assert "could not connect" not in page


def test_csp_has_a_nonce_that_the_inline_script_carries_and_no_unsafe_inline(world: World) -> None:
    response = signed_in(world.users[Role.TEAM_LEADER]).get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline_scripts
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in inline_scripts)


def test_every_page_has_a_skip_link_and_the_signed_in_user(world: World) -> None:
    page = signed_in(world.users[Role.SERVICE_MANAGER]).get("/").content.decode()
    assert 'href="#maincontent"' in page
    assert "Skip to main content" in page
    assert "Manager" in page
    assert "Service manager" in page
    assert "Sign out" in page


def test_accessibility_statement_is_public(db: None) -> None:
    response = Client().get("/accessibility-statement/")
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()


def production_env() -> dict[str, str]:
    # Only what a production server would have: not the browser tests' async override.
    return {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    }


def test_production_settings_pass_the_deployment_checks() -> None:
    env = {
        **production_env(),
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-check-" + "y" * 30,
        "ALLOWED_HOSTS": "openips.example.nhs.uk",
    }
    result = subprocess.run(
        [sys.executable, "-m", "openips", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    env["DJANGO_SETTINGS_MODULE"] = "openips.config.settings.production"
    result = subprocess.run(
        [sys.executable, "-m", "openips", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
