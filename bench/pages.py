"""Page and report benchmarks on a synthetic network built by `openips demo --scale`.

Usage: python bench/pages.py [small|medium|national]  (default medium; `make bench SCALE=…`)

PostgreSQL at BENCH_DATABASE_URL (default: the local server, database openips_bench_SCALE). The
database is built once and kept, since the national scale takes minutes to generate; drop it
to start again. Measures server time p50/p95 over 200 requests for four pages, SQL queries per
page, a service-year report, the network year by service and one service's fidelity estimates,
against the budgets below. Results go into bench/results.json under `scale_SCALE`."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))
from import_contacts import RESULTS

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
# The network dashboard is the slow one (docs/performance.md): fewer runs keep the bench short.
NETWORK_REQUESTS = int(os.environ.get("BENCH_NETWORK_REQUESTS", "20"))
BUDGETS_MS = {  # p95 at national scale on PostgreSQL on the 2-core machine
    "caseload": 150.0,
    "client_record": 150.0,
    "client_search": 150.0,  # name words, NHS numbers and dates of birth in turn
    "clients_filtered": 300.0,  # a stage filter, sorted by employment specialist
    "service_dashboard": 300.0,
    "network_dashboard": 2000.0,
    "fidelity_estimate": 300.0,
}


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
        # As docs/operations.md recommends for a server whose data is on SSD or in memory.
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCALE", "medium")
    url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/openips_bench_{name}"
    )
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openips.config.settings.local")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    began = time.monotonic()
    call_command("demo", scale=name)
    built_seconds = time.monotonic() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results = measure(name)
    if built_seconds > 5:
        results["generate_seconds"] = round(built_seconds, 1)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous = stored.get(f"scale_{name}", {})
    if "generate_seconds" not in results and "generate_seconds" in previous:
        results["generate_seconds"] = previous["generate_seconds"]
    stored[f"scale_{name}"] = results
    RESULTS.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(table(name, results))
    return 0 if all(r["met"] for r in results["timings"].values()) else 1


def measure(name: str) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from openips.accounts.models import User
    from openips.casework.models import Contact
    from openips.clients.models import Episode, Person
    from openips.fidelity.estimates import Estimator
    from openips.organisations.models import Service
    from openips.outcomes.metrics import Period
    from openips.outcomes.report import Facts, report_json

    def signed_in(role: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=f"scale-{name}-{role}"))
        return client

    es = User.objects.get(username=f"scale-{name}-es")
    service = Service.objects.get(code=f"scale-{name}-001")
    people = list(
        Episode.objects.filter(employment_specialist__user=es, discharge_date=None)
        .values_list("person_id", flat=True)
        .order_by("person_id")[:50]
    )
    record_urls = [reverse("record:person", args=[p]) for p in people]
    found = list(Person.objects.filter(pk__in=people))
    searches = [
        reverse("clients:search") + "?" + urlencode({"q": q})
        for p in found
        for q in (
            f"{p.given_name[:2]} {p.family_name[:3]}",
            p.nhs_number,
            f"{p.date_of_birth:%d/%m/%Y}" if p.date_of_birth else p.client_id,
        )
    ]
    filtered = reverse("clients:list") + "?stage=job_seeking&sort=specialist"
    pages: dict[str, tuple[Client, Callable[[int], str]]] = {
        "caseload": (signed_in("es"), lambda i: reverse("casework:caseload")),
        "client_record": (signed_in("es"), lambda i: record_urls[i % len(record_urls)]),
        "client_search": (signed_in("es"), lambda i: searches[i % len(searches)]),
        "clients_filtered": (signed_in("es"), lambda i: filtered + f"&page={i % 5 + 1}"),
        "service_dashboard": (
            signed_in("team-leader"),
            lambda i: reverse("outcomes:service", args=[service.pk]),
        ),
        "network_dashboard": (signed_in("commissioner"), lambda i: reverse("outcomes:network")),
    }
    timings: dict[str, dict[str, Any]] = {}
    queries: dict[str, int] = {}
    for page, (client, url) in pages.items():
        count = REQUESTS if page != "network_dashboard" else NETWORK_REQUESTS
        for i in range(3):  # warm the caches a real server would have warm
            answered(client.get(url(i)), page)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url(0))
        queries[page] = len(ctx.captured_queries)
        times = []
        for i in range(count):
            start = time.perf_counter()
            response = client.get(url(i))
            times.append((time.perf_counter() - start) * 1000)
            answered(response, page)
        timings[page] = summary(times, BUDGETS_MS[page])
        print(f"  {page}: p95 {timings[page]['p95_ms']} ms", file=sys.stderr, flush=True)
    today = date.today()  # noqa: DTZ011
    year = Period(today - timedelta(days=364), today)
    one = Episode.objects.filter(service=service)
    timings["service_year_report"] = summary(
        repeat(lambda: report_json(one, year, service.code), 20), 200.0
    )
    timings["network_year_by_service"] = summary(
        repeat(lambda: Facts(Episode.objects.all(), year).breakdown("service"), 3), 2000.0
    )
    timings["fidelity_estimate"] = summary(
        repeat(lambda: Estimator(service, today).all(), 20), BUDGETS_MS["fidelity_estimate"]
    )
    return {
        "data": {
            "services": Service.objects.filter(code__startswith=f"scale-{name}-").count(),
            "episodes": Episode.objects.filter(service__code__startswith=f"scale-{name}-").count(),
            "contacts": Contact.objects.filter(service__code__startswith=f"scale-{name}-").count(),
        },
        "engine": connection.vendor,
        "requests_per_page": REQUESTS,
        "sql_queries_per_page": queries,
        "timings": timings,
    }


def answered(response: Any, page: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{page} answered {response.status_code}")


def repeat(run: Callable[[], object], times: int) -> list[float]:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        found.append((time.perf_counter() - start) * 1000)
    return found


def summary(times: list[float], budget_ms: float) -> dict[str, Any]:
    p95 = percentile(times, 0.95)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "budget_p95_ms": budget_ms,
        "met": p95 <= budget_ms,
        "runs": len(times),
    }


def table(name: str, results: dict[str, Any]) -> str:
    data = results["data"]
    lines = [
        f"{name}: {data['services']} services, {data['episodes']:,} episodes, "
        f"{data['contacts']:,} contacts on {results['engine']}",
        f"{'measure':<26}{'p50 ms':>9}{'p95 ms':>9}{'budget':>9}  met  queries",
    ]
    for key, t in results["timings"].items():
        q = results["sql_queries_per_page"].get(key, "")
        lines.append(
            f"{key:<26}{t['p50_ms']:>9}{t['p95_ms']:>9}{t['budget_p95_ms']:>9.0f}  "
            f"{'yes' if t['met'] else 'NO ':<4} {q}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
