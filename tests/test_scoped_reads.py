"""Views and APIs read personal data only through scoped paths (`visible_to(user)` or an access
helper in a queries module). A direct `Person.objects…` in a view fails here."""

from __future__ import annotations

import re
from pathlib import Path

import openips

PERSONAL_MODELS = ("Person", "Episode")
UNSCOPED = re.compile(rf"\b({'|'.join(PERSONAL_MODELS)})\.objects\.(?!visible_to\()")
SRC = Path(openips.__file__).parent


def offending_lines(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if UNSCOPED.search(line)]


def test_the_check_catches_an_unscoped_read() -> None:
    assert offending_lines("people = Person.objects.filter(service=s)") != []
    assert offending_lines("people = Person.objects.visible_to(user)") == []


def test_views_and_apis_read_personal_data_only_through_scoped_paths() -> None:
    found = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if path.name in {"views.py", "api.py"} or path.parent.name == "views"
        if (lines := offending_lines(path.read_text()))
    }
    assert found == {}, "read personal data through a queries.py helper or visible_to(user)"
