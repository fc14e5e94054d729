"""Load and failure, short versions (the full versions run in `make bench`): users reading and
writing at once through a real server lose nothing; two saves of one record never lose an update;
an import killed halfway leaves nothing behind; the app carries on when its database connections
are cut, as when PostgreSQL restarts."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import Episode
from tests.clients.test_journey import date_fields
from tests.conftest import MODEL_BACKEND, World
from tests.serving import database_url, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

USERS = int(os.environ.get("LOAD_USERS", "6"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "4"))
ROUNDS = 10  # requests each user makes at least, however slow the machine
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def server(world: World, tmp_path: Path) -> Iterator[str]:
    """gunicorn, as in production (2 workers × 4 threads), on the test database: a test live
    server would hold a thread and a connection per client socket, which 50 users exhaust."""
    env = {
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
    }
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        yield base


def session_for(user: Any, base: str) -> requests.Session:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.headers["Referer"] = base
    return session


def post_form(session: requests.Session, url: str, data: dict[str, str]) -> requests.Response:
    """Fetch the form for its CSRF token, then post it, without following the redirect."""
    page = session.get(url, timeout=30)
    found = TOKEN.search(page.text)
    assert found, f"no form at {url}: {page.status_code}"
    return session.post(
        url, data={"csrfmiddlewaretoken": found[1], **data}, allow_redirects=False, timeout=30
    )


def contact_today() -> dict[str, str]:
    return {
        "contact_with": "client",
        "mode": "phone",
        "minutes": "15",
        "purpose": "engagement",
        "attended": "yes",
        **date_fields("date", timezone.localdate()),
    }


def test_users_reading_and_writing_at_once_lose_nothing(world: World, server: str) -> None:
    episode = world.episode(world.person_a)
    before = Contact.objects.filter(episode=episode).count()
    reads = [
        reverse("casework:caseload"),
        reverse("record:person", args=[world.person_a.pk]),
        reverse("clients:list"),
    ]
    write = server + reverse("casework:contact_create", args=[episode.pk])
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=user)  # contacts are someone's work
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    # Signed in here, not in the threads: a thread's own database connection would outlive it.
    sessions = [session_for(user, server) for _ in range(USERS)]

    def worker(n: int) -> None:
        session = sessions[n]
        rng = random.Random(n)  # noqa: S311  (a mix of requests, not a secret)
        done = 0
        while done < ROUNDS or time.monotonic() < deadline:
            done += 1
            if rng.random() < 0.3:
                status = post_form(session, write, contact_today()).status_code
                kind = "written" if status == 302 else f"write answered {status}"
            else:
                status = session.get(server + rng.choice(reads), timeout=30).status_code
                kind = "read" if status == 200 else f"read answered {status}"
            with lock:
                outcomes[kind] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{USERS} users for {SECONDS:g} s through gunicorn: {dict(outcomes)}")
    assert set(outcomes) <= {"read", "written"}, outcomes
    assert outcomes["read"] > 0 and outcomes["written"] > 0, outcomes
    assert Contact.objects.filter(episode=episode).count() == before + outcomes["written"]


def test_two_saves_of_one_record_at_once_never_lose_an_update(world: World, server: str) -> None:
    episode = world.episode(world.person_a)
    url = server + reverse("clients:context", args=[episode.pk])
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    sessions = [session_for(user, server) for _ in range(2)]
    for round_ in range(4):
        version = Episode.objects.get(pk=episode.pk).version
        tokens = [TOKEN.search(s.get(url, timeout=30).text)[1] for s in sessions]  # type: ignore[index]
        gate = threading.Barrier(2)
        answers: dict[str, int] = {}

        def save(
            n: int,
            name: str,
            tokens: list[str] = tokens,
            gate: Any = gate,
            version: int = version,
            answers: dict[str, int] = answers,
        ) -> None:
            data = {
                "csrfmiddlewaretoken": tokens[n],
                "version": str(version),
                "clinical_team": str(world.team_a.pk),
                "care_coordinator": name,
            }
            gate.wait()
            answers[name] = sessions[n].post(url, data=data, allow_redirects=False).status_code

        names = [f"Dr One {round_}", f"Dr Two {round_}"]
        threads = [threading.Thread(target=save, args=(n, names[n])) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        saved = Episode.objects.get(pk=episode.pk)
        winners = [name for name, status in answers.items() if status == 302]
        assert len(winners) == 1, answers  # the other was told of the conflict, not overwritten
        assert (saved.care_coordinator, saved.version) == (winners[0], version + 1)


def write_import(folder: Path, contacts: int) -> None:
    episodes = contacts // 20
    (folder / "staff.csv").write_text(
        "staff_id,name,role,fte\nES01,Specialist One,employment_specialist,1\n"
    )
    rows = ["episode_id,client_id,referral_date,referral_source,employment_status_at_referral"]
    rows += [f"EP{i:06d},P{i:06d},2024-01-02,self,unemployed" for i in range(episodes)]
    (folder / "episodes.csv").write_text("\n".join(rows) + "\n")
    rows = ["contact_id,date,staff_id,contact_with,episode_id,mode,purpose"]
    rows += [
        f"C{i:07d},2024-02-{1 + i % 28:02d},ES01,client,EP{i % episodes:06d},phone,engagement"
        for i in range(contacts)
    ]
    (folder / "contacts.csv").write_text("\n".join(rows) + "\n")


@pytest.fixture
def scratch_database() -> Any:
    """An empty migrated database of the suite's own kind, for a separate process to use."""
    if connection.vendor == "postgresql":
        import psycopg

        base = connection.settings_dict
        name = f"openips_scratch_{os.getpid()}"
        admin = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + f"/{name}"
        yield url
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/scratch.sqlite3"


def openips(url: str, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "openips.config.settings.test",
    }
    return subprocess.Popen(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "openips", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count_rows(url: str, table: str) -> int:
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0


def test_an_import_killed_halfway_leaves_nothing(scratch_database: str, tmp_path: Path) -> None:
    assert openips(scratch_database, "migrate", "--verbosity", "0").wait(timeout=300) == 0
    write_import(tmp_path, 60_000)
    run = openips(scratch_database, "import", str(tmp_path), "--service", "KILLED")
    seen = ""
    assert run.stderr is not None
    while "contacts" not in seen:  # wait until contact rows are being written
        chunk = run.stderr.read(64)
        assert chunk, f"the import ended before it could be stopped: {seen}"
        seen += chunk
    time.sleep(0.2)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    for table in ("casework_contact", "clients_episode", "organisations_staffmember"):
        assert count_rows(scratch_database, table) == 0, table
    assert count_rows(scratch_database, "organisations_service") == 0


def cut_database_connections() -> None:
    """Short version: end every other session on this database, as a failover does. Full
    version (LOAD_RESTART_POSTGRES=1, run by `make bench`): restart the PostgreSQL server."""
    with connection.cursor() as cursor:
        if os.environ.get("LOAD_RESTART_POSTGRES") == "1":
            cursor.execute("SHOW data_directory")  # /var/lib/postgresql/<version>/<cluster>
            version, cluster = Path(cursor.fetchone()[0]).parts[-2:]
            subprocess.run(["pg_ctlcluster", version, cluster, "restart"], check=True)  # noqa: S603, S607
            connection.close()  # ours died with the rest
            return
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (cut,) = cursor.fetchone()
    assert cut >= 1  # the server's own connection was among them


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cuts PostgreSQL connections; runs in the PG pass"
)
def test_the_app_carries_on_when_its_database_connections_are_cut(
    world: World, server: str, tmp_path: Path
) -> None:
    session = session_for(world.users[Role.EMPLOYMENT_SPECIALIST], server)
    page = server + reverse("record:person", args=[world.person_a.pk])
    assert [session.get(page, timeout=30).status_code for _ in range(4)] == [200] * 4
    cut_database_connections()
    assert [session.get(page, timeout=30).status_code for _ in range(4)] == [200] * 4
    # The same two workers answered throughout: nothing was restarted to recover.
    assert (tmp_path / "gunicorn.log").read_text().count("Booting worker") == 2
