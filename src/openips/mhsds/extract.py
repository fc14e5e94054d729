"""The extract: every table's rows written as CSV (one file per table, named after it), checked
as they are written. A mandatory item missing anywhere refuses the whole extract, listing every
one; a required item left blank is a warning. Nothing is left behind when it is refused."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.clients.models import Episode
from openips.interchange.models import DownloadKind
from openips.mhsds import rows, sources
from openips.mhsds.rows import Row
from openips.mhsds.tables import TABLES
from openips.organisations.models import Service
from openips.outcomes.metrics import Period

KEYS = {  # the column that names a record of each table, to say which ones lack an item
    "MHS000Header": "OrgIDProvider",
    "MHS001MPI": "LocalPatientID",
    "MHS004EmpStatus": "LocalPatientID",
    "MHS101Referral": "ServiceRequestID",
    "MHS201CareContact": "CareContactID",
    "MHS202CareActivity": "CareActID",
    "MHS902ServiceTeamDetails": "CareProfTeamLocalID",
}
# Items that come from a setting rather than a record: what to do about them.
SETTINGS = {
    "OrgIDProvider": "set the organisation's ODS code",
    "OrgIDSubmit": "set the organisation's ODS code",
    "OrgIDLocalPatientID": "set the organisation's ODS code",
    "OrgIDCareProfTeamLocalID": "set the organisation's ODS code",
    "CareProfTeamLocalID": "set the service's MHSDS team local identifier",
}
# Required items OpenIPS does not hold at all: said once, not record by record.
NOT_HELD = {
    "CareContTime": "it records the day of a contact, not its time",
    "ActLocTypeCode": "its contact settings name no location type",
}
SHOWN = 20  # records named per finding; the count says how many in all


@dataclass
class Finding:
    table: str
    column: str
    need: str
    count: int = 0
    records: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        kind = "mandatory" if self.need == "M" else "required"
        if self.column in SETTINGS:
            return f"{self.table} {self.column} is {kind} and empty: {SETTINGS[self.column]}"
        if self.column in NOT_HELD:
            return (
                f"{self.table} {self.column} is {kind} and left empty in all {self.count}"
                f" records: OpenIPS does not record it ({NOT_HELD[self.column]})"
            )
        named = ", ".join(self.records) + (" and others" if self.count > len(self.records) else "")
        records = "record" if self.count == 1 else "records"
        return f"{self.table} {self.column} is {kind} and empty in {self.count} {records}: {named}"


@dataclass
class Outcome:
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


class _Checker:
    def __init__(self) -> None:
        self.found: dict[tuple[str, str], Finding] = {}

    def check(self, table: str, row: Row) -> Row:
        for column in TABLES[table]:
            expected = column.when is None or row[column.when]
            if column.need != "O" and expected and not row[column.name]:
                key = (table, column.name)
                finding = self.found.setdefault(key, Finding(table, column.name, column.need))
                finding.count += 1
                if len(finding.records) < SHOWN:
                    finding.records.append(row[KEYS[table]] or "(none)")
        return row

    def outcome(self, counts: dict[str, int]) -> Outcome:
        findings = sorted(self.found.values(), key=lambda f: (f.table, f.column))
        return Outcome(
            counts,
            [f for f in findings if f.need == "M"],
            [f for f in findings if f.need == "R"],
        )


def _single(found: Iterable[Row]) -> Iterator[tuple[Row, ...]]:
    return ((row,) for row in found)


def table_rows(
    service: Service, period: Period
) -> Iterator[tuple[tuple[str, ...], Iterable[tuple[Row, ...]]]]:
    """The tables and their rows, streamed from the database in the order they are written. A
    care contact and its care activity come together and are written side by side."""
    episodes = sources.referrals(service, period)
    yield ("MHS000Header",), _single([rows.header(service, period)])
    yield ("MHS001MPI",), _single(rows.people(service, sources.people(episodes)))
    yield ("MHS004EmpStatus",), _single(rows.employment(episodes, period))
    yield ("MHS101Referral",), _single(rows.referrals(service, episodes))
    yield (("MHS201CareContact", "MHS202CareActivity"), rows.care_contacts(episodes, period))
    yield ("MHS902ServiceTeamDetails",), _single([rows.team(service)])


@contextmanager
def _one_view() -> Iterator[None]:
    """The seven tables read from one view of the data, so a record saved while an extract runs
    is in every table or in none: on PostgreSQL a repeatable-read transaction (SQLite's
    transaction already is one)."""
    alias = router.db_for_read(Episode) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def write_tables(service: Service, period: Period, folder: Path) -> Outcome:
    """Write the seven CSVs into `folder` (which must exist)."""
    checker = _Checker()
    counts: dict[str, int] = {}
    with _one_view():
        _write(service, period, folder, checker, counts)
    return checker.outcome(counts)


def _write(
    service: Service, period: Period, folder: Path, checker: _Checker, counts: dict[str, int]
) -> None:
    for tables, found in table_rows(service, period):
        with ExitStack() as files:
            writers = [
                _writer(files.enter_context(_open(folder, table)), table) for table in tables
            ]
            counts.update(dict.fromkeys(tables, 0))
            for group in found:
                for table, writer, row in zip(tables, writers, group, strict=True):
                    writer.writerow(checker.check(table, row))
                    counts[table] += 1


def _open(folder: Path, table: str) -> IO[str]:
    return (folder / f"{table}.csv").open("w", newline="", encoding="utf-8")


def _writer(handle: IO[str], table: str) -> csv.DictWriter[str]:
    # Minimal quoting, as submission tools expect: every value is a code, a date or an
    # identifier that the field rules keep to one line.
    writer = csv.DictWriter(handle, [c.name for c in TABLES[table]], lineterminator="\r\n")
    writer.writeheader()
    return writer


def _audit(
    service: Service, period: Period, outcome: Outcome, actor: User | None, form: str
) -> None:
    """Recorded in the shape of a prepared download's fetch, so one search finds both."""
    record(
        AuditAction.EXPORT,
        actor=actor,
        service_id=service.pk,
        actor_label="" if actor else "command line",
        details={
            "rows": outcome.rows,
            "format": Code(form),
            "kind": Code(DownloadKind.MHSDS),
            "period_start": period.start,
            "period_end": period.end,
        },
    )


def to_folder(
    service: Service, period: Period, target: Path, *, actor: User | None = None
) -> Outcome:
    """The extract as a folder of CSVs. It is written beside `target` and moved into place only
    when complete; refused, `target` is left as it was (or not made)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".mhsds-") as work:
        outcome = write_tables(service, period, Path(work))
        if not outcome.refused:
            target.mkdir(exist_ok=True)
            for path in Path(work).iterdir():
                path.replace(target / path.name)  # the same file system: each move is atomic
            _audit(service, period, outcome, actor, "csv")
    return outcome


def to_zip(
    service: Service, period: Period, handle: IO[bytes], *, actor: User | None = None
) -> Outcome:
    """The extract as a .zip of CSVs written to `handle`; refused, nothing is written."""
    with tempfile.TemporaryDirectory() as work:
        outcome = write_tables(service, period, Path(work))
        if not outcome.refused:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for table in TABLES:
                    archive.write(Path(work) / f"{table}.csv", f"{table}.csv")
            _audit(service, period, outcome, actor, "zip")
    return outcome


def read_back(archive: IO[bytes]) -> dict[str, list[Row]]:
    """The rows of a written extract, table by table (for reconciliation and tests)."""
    with zipfile.ZipFile(archive) as opened:
        return {
            Path(name).stem: list(csv.DictReader(io.TextIOWrapper(opened.open(name), "utf-8")))
            for name in opened.namelist()
        }


def read_folder(folder: Path, tables: Iterable[str] = TABLES) -> dict[str, list[Row]]:
    found = {}
    for table in tables:
        with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            found[table] = list(csv.DictReader(handle))
    return found
