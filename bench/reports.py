"""Report benchmarks: one service-year report at two sizes (cost should grow no faster than the
data), the whole network's year with a per-service breakdown, the SQL queries a dashboard runs, and
one service's fidelity estimates. SQLite by default; set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL (the
database is created and dropped). Results go into bench/results.json."""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_contacts import RESULTS, write_dataset

SERVICE_YEAR_BUDGET_MS = 200.0
NETWORK_YEAR_BUDGET_S = 2.0
FIDELITY_BUDGET_MS = 300.0
SIZES = (20_000, 100_000)  # contacts per service
NETWORK_SERVICES = 10


def load(outcome: object) -> None:
    if not getattr(outcome, "ok", False):
        raise SystemExit(f"the benchmark data did not import: {outcome}")


def timed(run: object, repeat: int = 5) -> float:
    """The median of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return sorted(times)[len(times) // 2]


def fresh_postgres(url: str, create: bool) -> None:
    """Create (or drop) the database the URL names, through the server's `postgres` database."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        fresh_postgres(url, create=True)
    try:
        return measure(url)
    finally:
        if url:
            from django.db import connections

            connections.close_all()
            fresh_postgres(url, create=False)


def measure(url: str | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OPENIPS_VAR_DIR"] = tmp
        if url:
            os.environ["DATABASE_URL"] = url
        else:
            os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openips.config.settings.local")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from openips.clients.models import Episode
        from openips.fidelity.estimates import Estimator
        from openips.interchange.importer import import_folder
        from openips.organisations.models import Service
        from openips.outcomes.metrics import Period
        from openips.outcomes.report import Facts, report_json

        call_command("migrate", verbosity=0)
        for n, size in enumerate(SIZES):
            folder = Path(tmp) / f"s{n}"
            folder.mkdir()
            write_dataset(folder, random.Random(n), size)
            load(import_folder(folder, f"SIZE{size}"))
        for n in range(NETWORK_SERVICES - len(SIZES)):
            folder = Path(tmp) / f"n{n}"
            folder.mkdir()
            write_dataset(folder, random.Random(100 + n), SIZES[0])
            load(import_folder(folder, f"NET{n}"))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        year = Period(date(2023, 1, 1), date(2023, 12, 31))
        service_ms = {}
        for size in SIZES:
            episodes = Episode.objects.filter(service__code=f"SIZE{size}")
            seconds = timed(lambda e=episodes: report_json(e, year, "x"))
            service_ms[str(size)] = round(seconds * 1000, 1)
        fidelity_ms = {}
        for size in SIZES:
            service = Service.objects.get(code=f"SIZE{size}")
            seconds = timed(lambda s=service: Estimator(s, year.end).all())
            fidelity_ms[str(size)] = round(seconds * 1000, 1)
        network_s = timed(lambda: Facts(Episode.objects.all(), year).breakdown("service"), 3)
        with CaptureQueriesContext(connection) as ctx:
            report_json(Episode.objects.all(), year, None, ["service"])
        engine = connection.vendor
    large, small = service_ms[str(SIZES[1])], service_ms[str(SIZES[0])]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"reports_{engine}"] = {
        "service_year_report_ms": service_ms,
        "service_year_budget_ms": SERVICE_YEAR_BUDGET_MS,
        "service_year_met": large <= SERVICE_YEAR_BUDGET_MS,
        "growth_vs_data": round(large / small, 2),
        "data_growth": SIZES[1] / SIZES[0],
        "network_year_by_service_seconds": round(network_s, 2),
        "network_services": NETWORK_SERVICES,
        "network_budget_seconds": NETWORK_YEAR_BUDGET_S,
        "network_met": network_s <= NETWORK_YEAR_BUDGET_S,
        "sql_queries_per_report": len(ctx.captured_queries),
        "fidelity_estimate_ms": fidelity_ms,
        "fidelity_budget_ms": FIDELITY_BUDGET_MS,
        "fidelity_met": fidelity_ms[str(SIZES[1])] <= FIDELITY_BUDGET_MS,
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(
        f"{engine}: service-year report {small} ms ({SIZES[0]} contacts), {large} ms "
        f"({SIZES[1]}; budget {SERVICE_YEAR_BUDGET_MS:.0f} ms); network of {NETWORK_SERVICES} "
        f"services by service {network_s:.2f} s (budget {NETWORK_YEAR_BUDGET_S:.0f} s); "
        f"{len(ctx.captured_queries)} queries per report; fidelity estimates "
        f"{fidelity_ms[str(SIZES[1])]} ms (budget {FIDELITY_BUDGET_MS:.0f} ms)"
    )
    met = (
        large <= SERVICE_YEAR_BUDGET_MS
        and network_s <= NETWORK_YEAR_BUDGET_S
        and fidelity_ms[str(SIZES[1])] <= FIDELITY_BUDGET_MS
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
