"""Export one service in the interchange format. Rows stream from the database (memory stays
flat however large the service). Every CSV field is quoted and rows end CRLF (RFC 4180), so a
line break or a bare CR inside a value can never start a new row; text cells that a spreadsheet
would run as a formula (`core.spreadsheets`) get a leading quote, which import removes again."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import F, QuerySet

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.casework.models import Contact
from openips.clients.models import Episode, HospitalStay, MeasureScore
from openips.core.spreadsheets import guard
from openips.employment.models import Employer, Job
from openips.interchange.schema import TABLES, TEXT
from openips.organisations.models import Service, StaffMember

CHUNK = 2000
PIECE = 64 * 1024  # bytes sent to the browser at a time


def cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    text = str(value)
    return guard(text) if kind == TEXT else text


def csv_writer(handle: IO[str]) -> Any:
    """Every field quoted, CRLF line ends: whatever a value holds, a row stays one record."""
    return csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def _sources(service: Service) -> dict[str, QuerySet[Any]]:
    return {
        "staff": StaffMember.objects.filter(service=service)
        .order_by("staff_id")
        .values("staff_id", "name", "role", "fte", "start_date", "end_date"),
        "employers": Employer.objects.filter(service=service)
        .order_by("employer_id")
        .values("employer_id", "name", "sector", "postcode_district"),
        "episodes": Episode.objects.filter(service=service)
        .order_by("episode_id")
        .values(
            "episode_id",
            "referral_date",
            "referral_source",
            "employment_status_at_referral",
            "accepted_date",
            "vocational_profile_date",
            "discharge_date",
            "discharge_reason",
            ix_client_id=F("person__client_id"),
            ix_nhs_number=F("person__nhs_number"),
            ix_date_of_birth=F("person__date_of_birth"),
            ix_gender=F("person__gender"),
            ix_ethnicity=F("person__ethnicity"),
            ix_phone=F("person__phone"),
            ix_email=F("person__email"),
            ix_address=F("person__address"),
            ix_postcode=F("person__postcode"),
            ix_preferred_contact=F("person__preferred_contact"),
            ix_message_consent=F("person__message_consent"),
            ix_employment_specialist=F("employment_specialist__staff_id"),
            ix_clinical_team=F("clinical_team__name"),
        ),
        "contacts": Contact.objects.filter(service=service)
        .order_by("contact_id")
        .values(
            "contact_id",
            "date",
            "contact_with",
            "mode",
            "setting",
            "minutes",
            "purpose",
            "attended",
            "matches_preferences",
            ix_staff_id=F("staff__staff_id"),
            ix_episode_id=F("episode__episode_id"),
            ix_employer_id=F("employer__employer_id"),
        ),
        "jobs": Job.objects.filter(service=service)
        .order_by("job_id")
        .values(
            "job_id",
            "job_title",
            "job_type",
            "start_date",
            "start_confirmed",
            "end_date",
            "end_reason",
            "hours_per_week",
            "hourly_pay",
            "competitive",
            "permanent",
            ix_episode_id=F("episode__episode_id"),
            ix_employer_id=F("employer__employer_id"),
        ),
        "admissions": HospitalStay.objects.filter(service=service)
        .order_by("admission_id")
        .values(
            "admission_id",
            "admission_date",
            "discharge_date",
            "setting",
            ix_client_id=F("person__client_id"),
        ),
        "measures": MeasureScore.objects.filter(service=service)
        .order_by("measure_id")
        .values("measure_id", "measure", "date", "score", ix_episode_id=F("episode__episode_id")),
    }


def rows(service: Service, table: str) -> Iterator[list[str]]:
    """The header, then one row per record, streamed."""
    columns = TABLES[table]
    yield [c.name for c in columns]
    for record_ in _sources(service)[table].iterator(chunk_size=CHUNK):
        yield [cell(record_.get(f"ix_{c.name}", record_.get(c.name)), c.kind) for c in columns]


def export_folder(service: Service, folder: Path, *, actor: User | None = None) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in TABLES:
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv_writer(handle)
            count = -1
            for count, row in enumerate(rows(service, table)):  # noqa: B007
                writer.writerow(row)
            counts[table] = count
    record(
        AuditAction.EXPORT,
        actor=actor,
        service_id=service.pk,
        actor_label="command line",
        details={"rows": counts, "format": Code("csv")},
    )
    return counts


def export_workbook(service: Service, path: Path, *, actor: User | None = None) -> dict[str, int]:
    """The same tables as sheets of one .xlsx workbook, written row by row (write-only mode)."""
    import openpyxl  # on first use: commands and workers start without it

    book = openpyxl.Workbook(write_only=True)
    counts = {}
    for table in TABLES:
        sheet = book.create_sheet(table)
        count = -1
        for count, row in enumerate(rows(service, table)):  # noqa: B007
            sheet.append(row)
        counts[table] = count
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    record(
        AuditAction.EXPORT,
        actor=actor,
        service_id=service.pk,
        actor_label="command line",
        details={"rows": counts, "format": Code("xlsx")},
    )
    return counts


class _Pipe(io.RawIOBase):
    """Collects what a ZipFile writes, so the archive can be sent while it is being made."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pieces.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces, self.size = [], 0
        return data


def zip_stream(service: Service, *, actor: User) -> Iterator[bytes]:
    """The CSV files zipped, produced piece by piece for a download; audited once sent (or
    abandoned), with the rows that went out."""
    pipe = _Pipe()
    counts: dict[str, int] = {}
    finished = False
    try:
        with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                counts[table] = 0
                with (
                    archive.open(f"{table}.csv", "w") as member,
                    io.TextIOWrapper(member, "utf-8", newline="") as text,
                ):
                    writer = csv_writer(text)
                    for count, row in enumerate(rows(service, table)):
                        writer.writerow(row)
                        counts[table] = count
                        if pipe.size >= PIECE:
                            yield pipe.take()
        yield pipe.take()
        finished = True
    finally:
        record(
            AuditAction.EXPORT,
            actor=actor,
            service_id=service.pk,
            details={"rows": counts, "format": Code("zip"), "complete": finished},
        )


def current_values(service: Service, table: str, pk: int) -> dict[str, Any]:
    """One record's values by interchange column, as an export would write them: what an API
    update starts from, so a column it is not sent keeps its value."""
    found = _sources(service)[table].filter(pk=pk).first() or {}
    return {c.name: found.get(f"ix_{c.name}", found.get(c.name)) for c in TABLES[table]}
