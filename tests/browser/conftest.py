"""Browser tests drive Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page

from openips.accounts.models import User
from tests.conftest import MODEL_BACKEND

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


# Reads the browser tests' source, with no browser: it runs with the fast tests.
NOT_IN_A_BROWSER = {"test_waiting_style.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if "tests/browser/" in str(path) and path.name not in NOT_IN_A_BROWSER:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError(
                        f"Chromium is missing at {CHROMIUM}: CI must run the browser tests"
                    )
                item.add_marker(
                    pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def sign_in_as(live_server: Any, context: BrowserContext, page: Page):  # type: ignore[no-untyped-def]
    """Sign a browser in as a user by copying a test client's session cookie."""

    def sign_in(user: User) -> Page:
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return sign_in
