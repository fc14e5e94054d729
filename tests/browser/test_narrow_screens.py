"""Every page fits a 320 px wide screen (WCAG 1.4.10 Reflow): nothing scrolls sideways.

The pages are the accessibility test's list, so a page added there is checked here too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from openips.accounts.roles import Role
from tests.browser.test_accessibility import pages_for
from tests.conftest import World

WIDTH = 320


@pytest.mark.parametrize("role", sorted(Role.values))
def test_no_page_scrolls_sideways_at_320_px(
    role: str, world: World, live_server: Any, sign_in_as: Any
) -> None:
    page = sign_in_as(world.users[role])
    page.set_viewport_size({"width": WIDTH, "height": 800})
    too_wide = []
    for path in pages_for(world, role):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("footer")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide.append(f"{path}: {width}px")
    assert not too_wide, "Pages wider than 320 px:\n" + "\n".join(too_wide)
