"""Benchmarks for the interchange, on a fresh SQLite database; results in bench/results.json.

- import of 100,000 contact rows (with staff, employers, episodes, jobs): budget 30 s;
- export memory: the traced peak while exporting services of 20,000 and of 100,000 contacts
  must stay flat (the larger within twice the smaller) and under 300 MB."""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

CONTACTS = int(os.environ.get("BENCH_CONTACTS", "100000"))
SMALL = CONTACTS // 5
MEMORY_BUDGET_MB = 300.0
BUDGET_SECONDS = 30.0
RESULTS = Path(__file__).with_name("results.json")


def write_dataset(folder: Path, rng: random.Random, contacts: int = CONTACTS) -> None:
    def table(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    start = date(2021, 1, 1)
    table(
        "staff",
        ["staff_id", "name", "role", "fte"],
        [[f"ES{i:02d}", f"Specialist {i}", "employment_specialist", "1"] for i in range(20)],
    )
    table(
        "employers", ["employer_id", "name"], [[f"E{i:04d}", f"Employer {i}"] for i in range(300)]
    )
    episodes = contacts // 40
    table(
        "episodes",
        [
            "episode_id",
            "client_id",
            "referral_date",
            "referral_source",
            "employment_status_at_referral",
            "accepted_date",
            "employment_specialist",
        ],
        [
            [
                f"EP{i:06d}",
                f"P{i:06d}",
                (start + timedelta(days=i % 1400)).isoformat(),
                "self",
                "unemployed",
                (start + timedelta(days=i % 1400 + 2)).isoformat(),
                f"ES{i % 20:02d}",
            ]
            for i in range(episodes)
        ],
    )
    table(
        "contacts",
        [
            "contact_id",
            "date",
            "staff_id",
            "contact_with",
            "episode_id",
            "employer_id",
            "mode",
            "setting",
            "minutes",
            "purpose",
            "attended",
        ],
        [
            [
                f"C{i:07d}",
                (start + timedelta(days=(i // 40) % 1400 + 3 + i % 30)).isoformat(),
                f"ES{(i // 40) % 20:02d}",
                "employer" if i % 3 == 0 else "client",
                f"EP{i // 40:06d}",
                f"E{rng.randrange(300):04d}" if i % 3 == 0 else "",
                "face_to_face",
                "community",
                "45",
                "job_development" if i % 3 == 0 else "engagement",
                "yes",
            ]
            for i in range(contacts)
        ],
    )
    table(
        "jobs",
        ["job_id", "episode_id", "job_title", "start_date", "competitive"],
        [
            [
                f"J{i:06d}",
                f"EP{i * 4:06d}",
                "Porter",
                (start + timedelta(days=(i * 4) % 1400 + 60)).isoformat(),
                "yes",
            ]
            for i in range(episodes // 4)
        ],
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OPENIPS_VAR_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openips.config.settings.local")
        import django
        from django.core.management import call_command

        django.setup()
        from openips.interchange.importer import import_folder

        call_command("migrate", verbosity=0)
        data = Path(tmp) / "data"
        data.mkdir()
        write_dataset(data, random.Random(1))
        began = time.perf_counter()
        outcome = import_folder(data, "BENCH")
        seconds = time.perf_counter() - began
        if not outcome.ok:
            print("\n".join(str(p) for p in outcome.problems[:20]), file=sys.stderr)
            return 1
        small = Path(tmp) / "small"
        small.mkdir()
        write_dataset(small, random.Random(2), SMALL)
        import_folder(small, "BENCH-SMALL")
        peaks = {
            size: export_peak_mb(code, Path(tmp) / f"out-{code}")
            for size, code in ((SMALL, "BENCH-SMALL"), (CONTACTS, "BENCH"))
        }
    result = {
        "contacts": CONTACTS,
        "seconds": round(seconds, 2),
        "rows_per_second": round(CONTACTS / seconds),
        "budget_seconds": BUDGET_SECONDS,
        "met": seconds < BUDGET_SECONDS,
    }
    memory = {
        "contacts": {str(k): round(v, 1) for k, v in peaks.items()},
        "budget_mb": MEMORY_BUDGET_MB,
    }
    memory["met"] = peaks[CONTACTS] < MEMORY_BUDGET_MB and peaks[CONTACTS] <= 2 * max(
        peaks[SMALL], 1.0
    )
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["import_100k_contacts_sqlite"] = result
    results["export_peak_memory_mb"] = memory
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(
        f"import of {CONTACTS} contact rows on SQLite: {seconds:.1f} s "
        f"({result['rows_per_second']} rows/s; budget {BUDGET_SECONDS:.0f} s: {'met' if result['met'] else 'MISSED'})"
    )
    print(
        f"export peak traced memory: {peaks[SMALL]:.1f} MB for {SMALL} contacts, "
        f"{peaks[CONTACTS]:.1f} MB for {CONTACTS} ({'flat' if memory['met'] else 'NOT FLAT'})"
    )
    return 0 if result["met"] and memory["met"] else 1


def export_peak_mb(service_code: str, folder: Path) -> float:
    import tracemalloc

    from openips.interchange.exporter import export_folder
    from openips.organisations.models import Service

    service = Service.objects.get(code=service_code)
    tracemalloc.start()
    export_folder(service, folder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1_000_000


if __name__ == "__main__":
    sys.exit(main())
