"""A service manager imports a service's records in the browser: upload, check, confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from openips.accounts.roles import Role
from openips.clients.models import Episode
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import World
from tests.interchange.test_browser_import import zipped
from tests.interchange.test_import_export import EXAMPLE
from tests.workers import worker


def test_a_manager_uploads_checks_and_imports_a_file(
    world: World, live_server: Any, sign_in_as: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_INLINE_ROWS = 100_000
    archive = tmp_path / "records.zip"
    archive.write_bytes(zipped(EXAMPLE).read())
    page = sign_in_as(world.users[Role.SERVICE_MANAGER])
    page.goto(live_server.url + reverse("accounts:services"))
    page.get_by_role("link", name="Import and export Service A").click()

    page.get_by_role("button", name="Check the file").click()
    error = page.get_by_role("alert").get_by_text("Select a .zip or .xlsx file to import")
    expect(error).not_to_have_count(0)
    assert_accessible(page)

    page.locator("input[type=file]").set_input_files(archive)  # behind the enhanced button
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the file, then import it")).to_be_visible()
    expect(page.get_by_role("row", name="contacts 6,075")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("button", name="Import these records").click()
    expect(page.get_by_text("Import complete").first).to_be_visible()
    assert_accessible(page)
    assert Episode.objects.filter(service=world.service_a, episode_id__startswith="EP").exists()


@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_a_large_import_runs_on_a_worker_while_the_page_follows_it(
    world: World, live_server: Any, sign_in_as: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_INLINE_ROWS = 10
    archive = tmp_path / "records.zip"
    archive.write_bytes(zipped(EXAMPLE).read())
    page = sign_in_as(world.users[Role.SERVICE_MANAGER])
    page.goto(live_server.url + reverse("interchange:service_data", args=[world.service_a.pk]))
    page.locator("input[type=file]").set_input_files(archive)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import these records").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()

    with worker():  # the page refreshes itself until the worker has imported the file
        expect(page.get_by_text("Import complete").first).to_be_visible(timeout=120_000)
    assert_accessible(page)
    assert Episode.objects.filter(service=world.service_a, episode_id__startswith="EP").exists()
