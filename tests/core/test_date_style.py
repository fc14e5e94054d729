"""Every page writes dates the NHS way, "25 November 2026": never 25/11/2026, nor 2026-11-25.
Date inputs and the interchange files keep their own formats; this reads the words on pages."""

from __future__ import annotations

import re
from datetime import date

from openips.accounts.roles import Role
from openips.casework.caseload import job_prompts
from openips.employment.models import Job
from tests.browser.test_accessibility import CHECKING_ORDER, pages_for
from tests.conftest import World, signed_in

SLASHED = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TAG = re.compile(r"<[^>]*>")  # attributes (links, input values) are not read as text


def words(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return TAG.sub(" ", re.sub(r"<script.*?</script>", " ", body, flags=re.S))


def test_no_page_shows_a_date_as_numbers(world: World) -> None:
    found = []
    for role in CHECKING_ORDER:
        client = signed_in(world.users[role])
        for path in pages_for(world, role):
            response = client.get(path)
            assert response.status_code == 200, path
            text = words(response.content.decode())
            for pattern in (SLASHED, ISO):
                found += [
                    f"{path}: …{' '.join(text[max(0, m.start() - 60) : m.end()].split())}"
                    for m in pattern.finditer(text)
                ]
    assert not found, found


def test_caseload_prompts_say_dates_in_words() -> None:
    job = Job(start_date=date(2025, 3, 3), start_confirmed=True)
    job.last_support = None  # type: ignore[attr-defined]
    job.benefits_first = True  # type: ignore[attr-defined]
    texts = [p.text for p in job_prompts(job, date(2025, 3, 10))]
    assert "In-work support due since 6 March 2025" in texts
    assert not any(SLASHED.search(t) for t in texts)


def test_the_check_would_catch_a_slashed_date() -> None:
    assert SLASHED.search(words("<main><p>Due 25/11/2026</p></main>"))
    assert not SLASHED.search(words('<main><a href="?week=2026-11-25">25 November 2026</a>'))
    assert Role.CLINICIAN in CHECKING_ORDER


def test_the_held_fields_read_in_words() -> None:
    from openips.governance.presenters import held_label

    assert held_label("nhs_number") == "NHS number"
    assert held_label("client_id") == "Client ID"
    assert held_label("date_of_birth") == "Date of birth"


def test_the_audit_trail_names_changed_fields_in_words() -> None:
    from openips.audit.models import AuditEvent
    from openips.governance.presenters import EventRow

    event = AuditEvent(changes={"fields": ["care_coordinator", "nhs_number"]})
    assert EventRow(event).changed_fields == "Care coordinator, NHS number"
