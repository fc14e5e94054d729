"""Uploads in the browser: kept in file storage, not in a row, and removed when done with;
refused clearly whatever the file is; at most a bounded number of problems stored."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.clients.models import Episode
from openips.interchange import uploads
from openips.interchange.models import ImportJob, ImportStatus
from tests.conftest import World, signed_in
from tests.interchange.test_browser_import import upload, zipped
from tests.interchange.test_import_export import EXAMPLE


@pytest.fixture(autouse=True)
def imported_while_confirming(settings: Any) -> None:
    settings.IMPORT_INLINE_ROWS = 100_000


def stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def confirm(client: Any, job: ImportJob, action: str = "confirm") -> ImportJob:
    client.post(reverse("interchange:import_job", args=[job.pk]), {"action": action})
    job.refresh_from_db()
    return job


def test_an_upload_waits_in_file_storage_and_is_removed_once_imported(
    world: World, upload_folder: Path
) -> None:
    assert "content" not in {f.name for f in ImportJob._meta.get_fields()}
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    sent = zipped(EXAMPLE)
    job = upload(manager, world, sent)
    assert job.status == ImportStatus.CHECKED
    [path] = stored(upload_folder)
    assert path.read_bytes() == sent.file.getvalue()  # type: ignore[attr-defined]
    assert path.suffix == ".zip" and "records" not in path.name  # a name of our own
    assert path.stat().st_mode & 0o777 == 0o600
    assert job.upload.name == path.relative_to(upload_folder).as_posix()

    job = confirm(manager, job)
    assert job.status == ImportStatus.DONE and not job.upload
    assert stored(upload_folder) == []


def test_a_cancelled_upload_is_removed(world: World, upload_folder: Path) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = confirm(manager, upload(manager, world, zipped(EXAMPLE)), "cancel")
    assert job.status == ImportStatus.CANCELLED and not job.upload
    assert stored(upload_folder) == []


def test_a_refused_upload_is_never_stored(
    world: World, tmp_path: Path, upload_folder: Path
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "staff.csv").write_text("staff_id,name,role\nES01,Ana,boss\n")
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(tmp_path / "bad"))
    assert job.status == ImportStatus.REFUSED and not job.upload
    assert stored(upload_folder) == []


def test_a_refused_uploads_problems_and_name_are_kept_only_for_the_keeping_time(
    world: World, tmp_path: Path, upload_folder: Path, settings: Any
) -> None:
    """A problem may quote a cell, such as an NHS number that failed its check."""
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "staff.csv").write_text("staff_id,name,role\nES01,Ana,boss\n")
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(tmp_path / "bad"))
    assert job.problems and job.file_name
    with time_machine.travel(timezone.now() + timedelta(hours=settings.IMPORT_KEEP_HOURS + 1)):
        uploads.discard_stale()
    job.refresh_from_db()
    assert (job.problems, job.file_name, job.status) == ([], "", ImportStatus.REFUSED)


def test_an_upload_never_confirmed_is_discarded_with_its_file(
    world: World, upload_folder: Path, settings: Any
) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    waiting = upload(manager, world, zipped(EXAMPLE))
    with time_machine.travel(timezone.now() + timedelta(hours=settings.IMPORT_KEEP_HOURS + 1)):
        uploads.confirm(waiting)  # (the page would ask to sign in again by then)
        waiting.refresh_from_db()
        assert waiting.status == ImportStatus.CANCELLED and not waiting.upload
        assert not Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()
        assert stored(upload_folder) == []


@pytest.mark.django_db(databases=["default", "progress"])
def test_an_import_left_running_by_a_stopped_server_is_failed_and_its_file_removed(
    world: World, upload_folder: Path, settings: Any
) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    with time_machine.travel(timezone.now() + timedelta(hours=2 * settings.IMPORT_KEEP_HOURS + 1)):
        uploads.discard_stale()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.problems == [uploads.STOPPED]
    assert not job.upload and stored(upload_folder) == []


def test_a_workbook_upload_is_checked_and_imported(world: World, upload_folder: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    for table in ("staff", "employers", "episodes", "contacts", "jobs"):
        sheet = book.create_sheet(table)
        for line in (EXAMPLE / f"{table}.csv").read_text().splitlines():
            sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, SimpleUploadedFile("records.xlsx", buffer.getvalue()))
    assert job.status == ImportStatus.CHECKED, job.problems
    assert confirm(manager, job).status == ImportStatus.DONE
    assert Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()
    assert stored(upload_folder) == []


def test_only_the_first_problems_are_stored_with_a_count_of_the_rest(
    world: World, tmp_path: Path
) -> None:
    (tmp_path / "bad").mkdir()
    rows = "".join(f"ES{n:03d},Ana,boss\n" for n in range(450))
    (tmp_path / "bad" / "staff.csv").write_text("staff_id,name,role\n" + rows)
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(tmp_path / "bad"))
    assert job.status == ImportStatus.REFUSED
    assert len(job.problems) == 200 and job.more_problems == 250
    assert job.problems[0].startswith("staff.csv:2: role: 'boss' is not a known code")
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "The file has 450 problems: correct the first 200, listed below" in page
    assert page.count("is not a known code") == 200
    assert "and 250 more problems, not listed here" in page


@pytest.mark.django_db
def test_the_command_prints_the_first_problems_and_counts_the_rest(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_PROBLEMS = 20
    rows = "".join(f"ES{n:03d},Ana,boss\n" for n in range(45))
    (tmp_path / "staff.csv").write_text("staff_id,name,role\n" + rows)
    err = StringIO()
    with pytest.raises(CommandError, match="45 problems found; nothing was imported"):
        call_command("import", str(tmp_path), service="X", stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 21 and lines[-1] == "… and 25 more problems"


def test_an_upload_over_the_size_limit_is_refused_without_being_kept(
    world: World, settings: Any
) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024**2
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    response = manager.post(
        reverse("interchange:service_data", args=[world.service_a.pk]),
        {"file": SimpleUploadedFile("big.zip", b"x" * (3 * 1024**2))},
    )
    assert response.status_code == 200
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_limit_passes_nothing_on_past_the_limit(settings: Any) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    handler = uploads.UploadLimit(RequestFactory().post("/"))
    handler.new_file("file", "big.zip", "application/zip", 30)
    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    assert handler.receive_data_chunk(b"x" * 8, 8) is None
    assert handler.receive_data_chunk(b"x" * 8, 16) is None
    refused = handler.file_complete(24)
    assert refused is not None and refused.size == 24 and refused.read() == b""


def good_zip() -> bytes:
    return zipped(EXAMPLE).file.getvalue()  # type: ignore[attr-defined, no-any-return]


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corrupted(data: bytes) -> bytes:
    """A stored member with one byte changed: its checksum no longer matches."""
    at = data.index(b"ES01")
    return data[:at] + b"XS01" + data[at + 4 :]


def broken_sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "staff"
    sheet.append(["staff_id", "name", "role"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:-40]
    return zip_bytes(members)


STAFF = b"staff_id,name,role\nES01,Ana,employment_specialist\n"
MALFORMED = {
    "not a zip": ("records.zip", b"this is not a zip", "cannot be read as a .zip file"),
    "truncated zip": ("records.zip", good_zip()[:5000], "cannot be read as a .zip file"),
    "zip of other files": (
        "records.zip",
        zip_bytes({"notes.txt": b"hello"}),
        "no interchange files inside (staff.csv, episodes.csv …)",
    ),
    "corrupted member": (
        "records.zip",
        corrupted(zip_bytes({"staff.csv": STAFF}, zipfile.ZIP_STORED)),
        "cannot be read as a .zip file",
    ),
    "lzma member": (
        "records.zip",
        zip_bytes({"staff.csv": STAFF}, zipfile.ZIP_LZMA),
        "cannot be read as a .zip file: staff.csv is compressed in a way OpenIPS does not read",
    ),
    "not utf-8": (
        "records.zip",
        zip_bytes({"staff.csv": "staff_id,name,role\nES01,Zoë,other\n".encode("latin-1")}),
        "staff.csv:0: : is not UTF-8 text; save it as CSV UTF-8 and upload it again",
    ),
    "over-long row": (
        "records.zip",
        zip_bytes({"staff.csv": b"staff_id,name,role\nES01," + b"a" * 70_000 + b",other\n"}),
        "staff.csv:2: : the row is longer than 65,536 characters",
    ),
    "not a workbook": (
        "book.xlsx",
        b"this is not a workbook",
        "cannot be read as an .xlsx workbook",
    ),
    "truncated workbook": (
        "book.xlsx",
        broken_sheet()[:3000],
        "cannot be read as an .xlsx workbook",
    ),
    "zip renamed to a workbook": ("book.xlsx", good_zip(), "cannot be read as an .xlsx workbook"),
    "broken sheet": ("book.xlsx", broken_sheet(), "cannot be read as an .xlsx workbook"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_file_is_refused_with_a_clear_problem(world: World, case: str) -> None:
    name, data, message = MALFORMED[case]
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, SimpleUploadedFile(name, data))
    assert job.status == ImportStatus.REFUSED
    assert len(job.problems) == 1 and message in job.problems[0], job.problems
    page = manager.get(reverse("interchange:import_job", args=[job.pk]))
    assert page.status_code == 200 and "The file was not imported" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_empties_uploads_held_in_rows_and_trims_their_problems(
    world: World,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("interchange", "0001_initial")])
    old = executor.loader.project_state([("interchange", "0001_initial")]).apps
    job = old.get_model("interchange", "ImportJob").objects.create(
        service_id=world.service_a.pk,
        uploaded_by_id=world.users[Role.SERVICE_MANAGER].pk,
        file_name="records.zip",
        content=b"PK...",
        status="checked",
        problems=[f"staff.csv:{n}: role: wrong" for n in range(2, 502)],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = ImportJob.objects.get(pk=job.pk)
    assert migrated.status == ImportStatus.CANCELLED and not migrated.upload
    assert len(migrated.problems) == 200 and migrated.more_problems == 300
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM interchange_importjob WHERE id = %s", [job.pk])
        assert bytes(cursor.fetchone()[0]) == b""
