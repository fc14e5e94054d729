"""The MHSDS extract of the worked example: seven tables, an IPS care activity for every care
contact, the team described once, and the access count from its own rows equal to
`openips report`'s first_contacts."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openips.audit.models import AuditAction, AuditEvent
from openips.casework.codes import Mode
from openips.clients.codes import (
    DischargeReason,
    EmploymentStatus,
    Ethnicity,
    Gender,
    ReferralSource,
)
from openips.interchange.importer import import_folder
from openips.mhsds import rows, sources
from openips.mhsds.codes import code_list, every_list
from openips.mhsds.extract import write_tables
from openips.mhsds.reconcile import first_direct_contacts, reconcile
from openips.mhsds.tables import TABLES
from openips.organisations.models import Service
from openips.outcomes.metrics import Period
from tests.factories import EpisodeFactory, ServiceFactory
from tests.interchange.test_import_export import EXAMPLE

pytestmark = pytest.mark.django_db
PERIODS = [("2025-01-01", "2025-03-31"), ("2024-04-01", "2025-03-31")]


def example(*, settings: bool = True) -> Service:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    service = Service.objects.select_related("organisation").get(code="EXAMPLE")
    if settings:
        service.organisation.ods_code = "RX4"
        service.organisation.save()
        service.mhsds_team_id = "IPS-TEAM-1"
        service.save()
    return service


def read(folder: Path) -> dict[str, list[dict[str, str]]]:
    found = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            found[path.stem] = list(csv.DictReader(handle))
    return found


def extract(
    tmp_path: Path, start: str, end: str, code: str = "EXAMPLE"
) -> dict[str, list[dict[str, str]]]:
    call_command("mhsds", "--service", code, "--start", start, "--end", end, str(tmp_path))
    return read(tmp_path)


def check(tmp_path: Path, service: Service, start: str, end: str) -> None:
    """Extract the service's period and check the file against the issue's promises and the
    report's first_contacts."""
    tables = extract(tmp_path, start, end, service.code)
    assert set(tables) == set(TABLES)
    for name, columns in TABLES.items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8") as handle:
            assert handle.readline().strip() == ",".join(c.name for c in columns)
    contacts, activities = tables["MHS201CareContact"], tables["MHS202CareActivity"]
    assert contacts and len(activities) == len(contacts)
    per_contact = Counter(a["CareContactID"] for a in activities)
    assert set(per_contact) == {c["CareContactID"] for c in contacts}
    assert set(per_contact.values()) == {1}
    assert {a["Procedure"] for a in activities} == {"1082621000000104"}
    team = service.mhsds_team_id
    assert tables["MHS902ServiceTeamDetails"] == [
        {
            "CareProfTeamLocalID": team,
            "OrgIDCareProfTeamLocalID": service.organisation.ods_code,
            "ServTeamTypeMH": "D05",
            "ServTeamIntAgeGroup": "03",
        }
    ]
    assert {r["CareProfTeamLocalID"] for r in tables["MHS101Referral"]} == {team}
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    access = sum(day in period for day in first_direct_contacts(tables).values())
    out = StringIO()
    call_command("report", "--service", service.code, "--start", start, "--end", end, stdout=out)
    assert access == json.loads(out.getvalue())["metrics"]["first_contacts"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_extract_has_every_table_and_agrees_with_the_report(
    tmp_path: Path, start: str, end: str
) -> None:
    check(tmp_path, example(), start, end)


def test_the_demo_networks_extracts_agree_with_the_report(tmp_path: Path) -> None:
    call_command("demo", stdout=StringIO())
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    start = (end - timedelta(days=364)).replace(day=1)
    services = Service.objects.select_related("organisation").order_by("code")
    assert services.count() >= 3
    for service in services:
        check(tmp_path / service.code, service, start.isoformat(), end.isoformat())


def test_text_messages_and_missed_contacts_are_not_direct(tmp_path: Path) -> None:
    example()
    tables = extract(tmp_path, *PERIODS[1])
    mechanisms = {c["ConsMechanismMH"] for c in tables["MHS201CareContact"]}
    assert "09" in mechanisms  # the example has text messages: written, but not direct
    first = first_direct_contacts(tables)
    by_id = {c["CareContactID"]: c for c in tables["MHS201CareContact"]}
    for contact in by_id.values():
        if contact["ConsMechanismMH"] == "09" or contact["AttendStatus"] == "3":
            day = date.fromisoformat(contact["CareContDate"])
            referral = contact["ServiceRequestID"]
            assert first.get(referral) != day or any(
                c["ServiceRequestID"] == referral
                and c["CareContDate"] == contact["CareContDate"]
                and c["ConsMechanismMH"] in {"01", "02", "04", "11"}
                and c["AttendStatus"] in {"5", "6"}
                for c in by_id.values()
            )


def test_employment_is_written_as_dated_spells(tmp_path: Path) -> None:
    example()
    tables = extract(tmp_path, *PERIODS[1])
    spells = tables["MHS004EmpStatus"]
    employed = [s for s in spells if s["EmployStatus"] == "01"]
    assert employed, "the example's job starts appear as spells in work"
    assert {s["WeekHoursWorked"] for s in employed} <= {"01", "02", "03", "04", "99"}
    for s in spells:
        if s["EmployStatusEndDate"]:
            assert s["EmployStatusStartDate"] <= s["EmployStatusEndDate"]


def test_missing_settings_refuse_the_extract_with_each_listed(tmp_path: Path) -> None:
    example(settings=False)
    err = StringIO()
    with pytest.raises(CommandError, match="refused"):
        call_command(
            "mhsds",
            "--service",
            "EXAMPLE",
            "--start",
            "2025-01-01",
            "--end",
            "2025-01-31",
            str(tmp_path / "out"),
            stderr=err,
        )
    said = err.getvalue()
    assert "OrgIDProvider is mandatory and empty: set the organisation's ODS code" in said
    assert "CareProfTeamLocalID is mandatory and empty: set the service's MHSDS" in said
    assert list(tmp_path.iterdir()) == []  # no folder made, no scratch folder left behind
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_every_value_openips_holds_has_a_code() -> None:
    """A choice added to one of our vocabularies without a mapping fails here, not mid-extract."""
    vocabularies = {
        "gender_identity": [*Gender.values, ""],
        "ethnic_category": [*Ethnicity.values, ""],
        "referral_source": ReferralSource.values,
        "employment_status": EmploymentStatus.values,
        "discharge_reason": [*DischargeReason.values, ""],
        "consultation_mechanism": Mode.values,
        "attendance": ["true", "false"],
    }
    for name, values in vocabularies.items():
        listed = code_list(name)
        for value in values:
            assert listed.code(value) in [*listed.codes, ""], (name, value)


def test_reconciliation_agrees_for_the_example() -> None:
    service = example()
    found = reconcile(service, Period(date(2025, 1, 1), date(2025, 3, 31)))
    assert found.agrees, [
        (line.measure, line.only_in_extract, line.only_in_openips) for line in found.lines
    ]
    out = StringIO()
    call_command(
        "reconcile_mhsds",
        "--service",
        "EXAMPLE",
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
        stdout=out,
    )
    assert "People with a first direct contact\t12\t12\t12" in out.getvalue()


def test_every_code_list_cites_its_data_dictionary_item() -> None:
    lists = every_list()
    assert len(lists) >= 10
    for listed in lists:
        assert listed.item and listed.source.startswith("https://")
        assert listed.map and {c for c in listed.map.values() if c} <= set(listed.codes)


def test_closures_are_coded_as_the_data_dictionary_allows() -> None:
    """A referral closed before acceptance is a closure (IPS turns no one away), 'other' has no
    closure code and is left empty with a warning, and a person with no NHS number is 'trace
    required'."""
    service = ServiceFactory(mhsds_team_id="IPS-1", organisation__ods_code="RX4")
    declined = EpisodeFactory(
        person__service=service,
        person__nhs_number="",
        accepted_date=None,
        discharge_date=date(2025, 1, 20),
        discharge_reason="declined_before_engagement",
    )
    other = EpisodeFactory(
        person__service=service, discharge_date=date(2025, 1, 21), discharge_reason="other"
    )
    still_open = EpisodeFactory(person__service=service)
    period = Period(date(2025, 1, 1), date(2025, 1, 31))
    episodes = sources.referrals(service, period)
    by_id = {r["ServiceRequestID"]: r for r in rows.referrals(service, episodes)}
    assert by_id[declined.episode_id]["ServDischDate"] == "2025-01-20"
    assert by_id[declined.episode_id]["ReferClosReason"] == "09"
    assert by_id[other.episode_id]["ReferClosReason"] == ""
    people = {r["LocalPatientID"]: r for r in rows.people(service, sources.people(episodes))}
    assert people[declined.person.client_id]["NHSNumberStatus"] == "03"
    assert people[other.person.client_id]["NHSNumberStatus"] == "02"
    with TemporaryDirectory() as folder:
        outcome = write_tables(service, period, Path(folder))
    assert not outcome.refused
    (closure,) = [w for w in outcome.warnings if w.column == "ReferClosReason"]
    assert closure.records == [other.episode_id]  # an open referral has no reason to give
    assert not [w for w in outcome.warnings if w.column == "ServDischDate"]
    assert still_open.episode_id in by_id
