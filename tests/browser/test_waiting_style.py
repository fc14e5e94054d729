"""The browser tests assert on the page only through Playwright's waiting `expect`.

A plain `assert locator.count() == 1` reads the page once, at once: on a busy machine that can
be before the click's page has arrived, and the test fails for no fault of the service. This
reads the tests' source (no browser) and names every such assert."""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).parent

# Locator and page methods that read the page once, without waiting for it.
READS_ONCE = {
    "count",
    "inner_text",
    "text_content",
    "inner_html",
    "all_inner_texts",
    "all_text_contents",
    "is_visible",
    "is_hidden",
    "is_checked",
    "is_enabled",
    "is_disabled",
    "is_editable",
    "input_value",
    "get_attribute",
    "evaluate",
    "title",
}


def _is_orm(node: ast.expr) -> bool:
    """Whether a call's receiver is a Django query (`X.objects...`), read from the database."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def reads_without_waiting(source: str) -> list[tuple[int, str]]:
    """(line, what) for each assert whose condition reads the page once or checks its address."""
    found = []
    for statement in ast.walk(ast.parse(source)):
        if not isinstance(statement, ast.Assert):
            continue  # the message of an assert may name the page's address: only its test counts
        for node in ast.walk(statement.test):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in READS_ONCE
                and not _is_orm(node.func.value)
            ):
                found.append((node.lineno, f".{node.func.attr}()"))
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "url"
                and not (isinstance(node.value, ast.Name) and node.value.id == "live_server")
            ):
                found.append((node.lineno, ".url"))
    return sorted(found)


def test_browser_tests_assert_on_the_page_only_through_expect() -> None:
    files = sorted(HERE.glob("test_*.py"))
    assert len(files) >= 10  # the browser tests are all here
    bad = [
        f"{path.relative_to(HERE.parent.parent)}:{line}: assert on {what}; use expect(...)"
        for path in files
        for line, what in reads_without_waiting(path.read_text())
    ]
    assert not bad, "\n".join(bad)


def test_the_check_finds_a_read_that_does_not_wait() -> None:
    source = """
def test_x(page, live_server):
    page.get_by_role("button").click()
    assert page.get_by_text("Saved").count() == 1
    assert "Saved" in page.inner_text("main")
    assert page.url.endswith("/done/")
    assert page.get_by_role("checkbox").is_checked()
    assert User.objects.filter(active=True).count() == 1
    assert response.status == 200, page.url
    assert live_server.url
"""
    assert reads_without_waiting(source) == [
        (4, ".count()"),
        (5, ".inner_text()"),
        (6, ".url"),
        (7, ".is_checked()"),
    ]
