"""One set of rules for every way in: the same boundary and hostile values, sent through a web
form, the API and an import, are refused alike with the same message (each in its own style:
the form names the field by its label, the import as `file:line: column: message`, the API as
one 422 entry per column), or accepted alike. Never a 500, and nothing half-saved."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import Person
from openips.employment.models import Employer, Job
from openips.interchange.importer import import_folder
from openips.interchange.schema import TABLES
from tests.api.test_writes import Api
from tests.conftest import World, signed_in

TODAY = timezone.localdate()
LINE = "must be on one line, without line breaks, tabs or control characters"
ID = "must be letters, digits, hyphens or underscores, starting with a letter or digit"
PAST = "must be today or in the past"
AHEAD = "must be no more than a year from today"
EARLY = "must be in 1900 or later"
PHONE = "must be 7 to 15 digits, with spaces or a leading + if you like"
POSTCODE = "must be a UK postcode, like LS1 4AP"

BASE: dict[str, dict[str, str]] = {
    "jobs": {
        "job_id": "J-W1",
        "episode_id": "A001-1",
        "employer_id": "EMP-a",
        "job_title": "Porter",
        "start_date": "2025-05-01",
        "competitive": "yes",
    },
    "contacts": {
        "contact_id": "C-W1",
        "date": "2025-02-03",
        "staff_id": "ES01",
        "contact_with": "client",
        "episode_id": "A001-1",
        "mode": "phone",
        "purpose": "engagement",
    },
    "employers": {"employer_id": "E-W1", "name": "Acme"},
    "episodes": {
        "episode_id": "EP-W1",
        "client_id": "C-W1",
        "referral_date": "2025-04-01",
        "referral_source": "self",
        "employment_status_at_referral": "unemployed",
    },
}
# The web form for each table, its fields for the base row, and each column's field and label.
FORM_URL = {
    "jobs": "employment:job_start",
    "contacts": "casework:contact_create",
    "employers": "casework:employer_create",
}
FORM_BASE: dict[str, dict[str, str]] = {
    "jobs": {"job_title": "Porter", "start_confirmed": "yes", "competitive": "yes"},
    "contacts": {
        "contact_with": "client",
        "mode": "phone",
        "purpose": "engagement",
        "attended": "yes",
    },
    "employers": {"name": "Acme"},
}
FORM_DATES = {"jobs": "start_date", "contacts": "date"}
LABELS = {
    ("jobs", "job_title"): "Job title",
    ("jobs", "start_date"): "First day of work",
    ("jobs", "hours_per_week"): "Hours a week",
    ("jobs", "hourly_pay"): "Pay per hour, in pounds",
    ("contacts", "date"): "Date of the contact",
    ("contacts", "minutes"): "Minutes",
    ("employers", "name"): "Name",
}


@dataclass(frozen=True)
class Case:
    table: str
    column: str
    value: str  # as written in a file or typed into a form
    message: str | None  # None: accepted, and stored as sent
    api_value: Any = None  # the JSON value, when not the text itself
    ways: tuple[str, ...] = field(default=("form", "api", "import"))

    @property
    def id(self) -> str:
        return f"{self.table}.{self.column}={self.value!r}"


def iso(d: date) -> str:
    return d.isoformat()


CASES = [
    Case("jobs", "start_date", "9999-12-31", AHEAD),
    Case("jobs", "start_date", iso(TODAY + timedelta(days=367)), AHEAD),
    Case("jobs", "start_date", iso(TODAY + timedelta(days=366)), None),
    Case("jobs", "start_date", "1899-12-31", EARLY),
    Case("contacts", "date", "9999-12-31", PAST),
    Case("contacts", "date", iso(TODAY + timedelta(days=1)), PAST),
    Case("contacts", "date", iso(TODAY), None),
    Case("contacts", "date", "1899-12-31", EARLY),
    Case("jobs", "hours_per_week", "999.99", "must be between 0 and 100"),
    Case("jobs", "hours_per_week", "-4", "must be between 0 and 100"),
    Case("jobs", "hours_per_week", "100", None),
    Case("jobs", "hourly_pay", "99999", "must be between 0 and 1000"),
    Case("jobs", "hourly_pay", "-12.50", "must be between 0 and 1000"),
    Case("contacts", "minutes", "2000000000", "must be between 0 and 1440", 2_000_000_000),
    Case("contacts", "minutes", "1440", None, 1440),
    Case("jobs", "job_title", "Cleaner\r=1+1", LINE),
    Case("jobs", "job_title", "Cleaner\n=1+1", LINE),
    Case("jobs", "job_title", "Cleaner\t=1+1", LINE),
    Case("jobs", "job_title", "=1+1", None),
    Case("jobs", "job_title", "@SUM(A1)", None),
    Case("employers", "name", "Acme\rLtd", LINE),
    Case("employers", "name", "-2+3", None),
    Case("episodes", "client_id", "../../etc/passwd", ID, ways=("api", "import")),
    Case("episodes", "client_id", 'C1"; x', ID, ways=("api", "import")),
    Case("episodes", "client_id", "C 1", ID, ways=("api", "import")),
    Case("episodes", "episode_id", "EP\r1", ID, ways=("api", "import")),
    Case("jobs", "job_id", "=J1", ID, ways=("api", "import")),
    Case(
        "episodes",
        "nhs_number",
        "９９９０００００１８",
        "must be 10 digits",
        ways=("api", "import"),
    ),
    Case(
        "contacts", "minutes", "²", "must be a whole number, 0 or more, not '²'", ways=("import",)
    ),
    # Contact details and one person per NHS number (ADR 0021).
    Case("episodes", "phone", "12", PHONE, ways=("api", "import")),
    Case("episodes", "phone", "+44 113 496 0000", None, ways=("api", "import")),
    Case("episodes", "postcode", "LS1", POSTCODE, ways=("api", "import")),
    Case("episodes", "postcode", "LS1 4AP", None, ways=("api", "import")),
    Case("episodes", "email", "sam@", "Enter a valid email address.", ways=("api", "import")),
    Case("episodes", "address", "1 High St\nLeeds", LINE, ways=("api", "import")),
    Case(
        "episodes",
        "nhs_number",
        "9990000018",  # the world's client A001 in the same organisation holds it
        "already belongs to client A001",
        ways=("api", "import"),
    ),
]


def row(case: Case, way: str) -> dict[str, str]:
    """The base row with the case's value; each way writes its own record (its own id)."""
    values = dict(BASE[case.table])
    key = next(iter(values))
    values[key] += f"-{way}"
    if case.table == "episodes":
        values["client_id"] += f"-{way}"
    return values | {case.column: case.value}


def via_import(world: World, case: Case, tmp_path: Path) -> list[str]:
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / f"{case.table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c.name for c in TABLES[case.table]])
        writer.writeheader()
        writer.writerow(row(case, "I"))
    return [str(p) for p in import_folder(folder, world.service_a.code).problems]


def via_api(world: World, case: Case) -> tuple[int, dict[str, str]]:
    body: dict[str, Any] = {"service": world.service_a.code, **row(case, "A")}
    if case.table == "jobs":
        body["competitive"] = True
    if case.api_value is not None:
        body[case.column] = case.api_value
    response = Api(world).post(f"api:create_{case.table.removesuffix('s')}", body)
    if response.status_code != 422:
        return response.status_code, {}
    return 422, {p["loc"][-1]: p["msg"] for p in response.json()["detail"]}


def via_form(world: World, case: Case) -> tuple[int, str]:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    client: Client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    data = dict(FORM_BASE[case.table])
    date_field = FORM_DATES.get(case.table)
    if date_field:
        base = date.fromisoformat(BASE[case.table][date_field])
        day = date.fromisoformat(case.value) if case.column == date_field else base
        data |= {f"{date_field}_day": str(day.day), f"{date_field}_month": str(day.month)}
        data[f"{date_field}_year"] = str(day.year)
    if case.column != date_field:
        data[case.column] = case.value
    episode = world.episode(world.person_a)
    args = [] if case.table == "employers" else [episode.pk]
    response = client.post(reverse(FORM_URL[case.table], args=args), data)
    return response.status_code, response.content.decode()


def as_sent(value: Any) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def stored(case: Case) -> list[str]:
    """The column's value in every record the case wrote (not those of the world)."""
    records: Any
    match case.table:
        case "jobs":
            records = Job.objects.exclude(job_id__in=["J-a", "J-b"])
        case "contacts":
            records = Contact.objects.exclude(contact_id__in=["C-a", "C-b"])
        case "employers":
            records = Employer.objects.exclude(employer_id__in=["EMP-a", "EMP-b"])
        case _:
            records = Person.objects.exclude(client_id__in=["A001", "B001"])
    return [as_sent(getattr(r, case.column)) for r in records]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_way_in_refuses_or_accepts_alike(world: World, case: Case, tmp_path: Path) -> None:
    if "import" in case.ways:
        problems = via_import(world, case, tmp_path)
        line = 1 + len(case.value.splitlines())  # a row is numbered by the line it ends on
        refused = [f"{case.table}.csv:{line}: {case.column}: {case.message}"]
        assert problems == ([] if case.message is None else refused)
    if "api" in case.ways:
        status, found = via_api(world, case)
        if case.message is None:
            assert status == 201, found
        else:
            assert (status, found) == (422, {case.column: case.message})
    if "form" in case.ways:
        status, page = via_form(world, case)
        if case.message is None:
            assert status == 302, page
        else:
            assert status == 200
            assert f"{LABELS[(case.table, case.column)]} {case.message}" in page
    if case.message is None:  # stored as sent, whichever way it came
        assert stored(case) == [case.value] * len(case.ways)
    else:  # nothing half-saved
        assert stored(case) == []


def test_a_negative_number_of_minutes_gets_the_imports_message_from_the_api(
    world: World, tmp_path: Path
) -> None:
    case = Case("contacts", "minutes", "-5", "must be a whole number, 0 or more, not '-5'", -5)
    assert via_import(world, case, tmp_path) == [
        "contacts.csv:2: minutes: must be a whole number, 0 or more, not '-5'"
    ]
    assert via_api(world, case) == (422, {"minutes": case.message})
    status, page = via_form(world, case)
    assert status == 200 and "Minutes must be between 0 and 1440" in page
