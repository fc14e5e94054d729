"""Hostile and broken files for the import: archives that unpack to far more than they weigh,
workbooks whose XML makes a reader build millions of objects, and files that are not what they
claim. Each is made in a fraction of a second."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

import openips

CONTACTS_HEADER = (
    "contact_id,date,staff_id,contact_with,episode_id,employer_id,mode,setting,minutes,"
    "purpose,attended,matches_preferences\n"
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)


def zip_of(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def repeated(path: Path, name: str, head: bytes, line: bytes, times: int) -> Path:
    """A zip whose one member is `head` then `line` repeated, written without holding it all."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        member.write(head)
        block = line * max(1, (1 << 20) // len(line))
        written = 0
        while written + len(block) // len(line) <= times:
            member.write(block)
            written += len(block) // len(line)
        member.write(line * (times - written))
    return path


def workbook(path: Path, sheet: str = "contacts") -> Path:
    """A real workbook, made by openpyxl, with one sheet holding the contacts header."""
    book = openpyxl.Workbook()
    active = book.active
    assert active is not None
    active.title = sheet
    active.append(CONTACTS_HEADER.strip().split(","))
    book.save(path)
    return path


def replaced(path: Path, replacements: dict[str, bytes]) -> Path:
    """The workbook (or zip) at `path` with some members replaced or added."""
    with zipfile.ZipFile(path) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members.update(replacements)
    return zip_of(path, members)


def header_row() -> str:
    """The contacts header as the first row of a sheet's XML."""
    cells = "".join(
        f'<c t="inlineStr"><is><t>{name}</t></is></c>'
        for name in CONTACTS_HEADER.strip().split(",")
    )
    return f'<row r="1">{cells}</row>'


def sheet_xml(rows: str, dimension: str = "") -> bytes:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return SHEET.format(dimension=ref, rows=rows).encode()


READ = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]),) * 2)
import django
django.setup()
from pathlib import Path
from openips.interchange.reader import read_dataset
began = time.perf_counter()
dataset = read_dataset(Path(sys.argv[1]))
print(json.dumps({
    "problems": [str(p) for p in dataset.problems.first()],
    "more": dataset.problems.more,
    "rows": {table: len(rows) for table, rows in dataset.tables.items()},
    "seconds": time.perf_counter() - began,
}))
"""


def read_limited(path: Path, memory_mb: int = 400, seconds: int = 30, **env: str) -> Any:
    """Read `path` as `openips import` does, in a process that may use at most `memory_mb` of
    address space (Python and Django take about 180 MB of it) and `seconds` of time."""
    source = str(Path(openips.__file__).resolve().parents[1])
    result = subprocess.run(  # noqa: S603  (our own interpreter, our own script)
        [sys.executable, "-c", READ, str(path), str(memory_mb * 1024**2)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "openips.config.settings.test",
            "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])
