"""Import an interchange folder into one service: all or nothing, matched by ids, idempotent.

Validation runs over every file first; only a clean dataset is written, inside one
transaction. Rows are matched to existing records by their ids: new ones are created, changed
ones updated (with their version raised), unchanged ones left alone, absent ones kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients.index import reindex
from openips.clients.models import Episode, Person
from openips.employment.models import Employer
from openips.interchange.fields import (
    MODELS,
    PERSON_FIELDS,
    Refs,
    kept_identifiers,
    person_fields,
    record_fields,
)
from openips.interchange.reader import Dataset, Problem, Row, read_dataset
from openips.interchange.schema import KEYS
from openips.interchange.validate import Known, check
from openips.organisations.models import ClinicalTeam, Network, Organisation, Service, StaffMember

BATCH = 2000
DEFAULT_ORGANISATION = "Imported services"
ANALYZE_AFTER_ROWS = 10_000
Progress = Callable[[str, int, int], None]  # table, rows written so far, rows in the table


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)  # the first ones (IMPORT_MAX_PROBLEMS)
    more_problems: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def known_for(service: Service | None, organisation_name: str | None = None) -> Known:
    if service is None:  # a new service of an organisation, maybe one that exists already
        found = Organisation.objects.filter(name=organisation_name or DEFAULT_ORGANISATION)
        organisation = found.values_list("pk", flat=True).first()
        return Known(**organisation_known(organisation, None)) if organisation else Known()
    return Known(
        staff_roles=dict(
            StaffMember.objects.filter(service=service).values_list("staff_id", "role")
        ),
        employers=set(
            Employer.objects.filter(service=service).values_list("employer_id", flat=True)
        ),
        episode_referrals=dict(
            Episode.objects.filter(service=service).values_list("episode_id", "referral_date")
        ),
        clients=set(service_people(service.pk).values_list("client_id", flat=True)),
        **organisation_known(service.organisation_id, service.pk),
    )


def service_people(service_id: int) -> QuerySet[Person]:
    """The people a service's files speak of: its own, and people of another of the
    organisation's services who have an episode with it (referred across, or merged)."""
    with_episodes = Episode.objects.filter(service_id=service_id).values("person_id")
    return Person.objects.filter(Q(service_id=service_id) | Q(pk__in=with_episodes))


def organisation_known(
    organisation_id: int, service_id: int | None, *, client_id: str = "", nhs_number: str = ""
) -> Any:
    """The organisation's client ids and NHS numbers (only the given ones, when given), for
    the checks that keep one record per person."""
    people = Person.objects.filter(organisation_id=organisation_id)
    ids = people.exclude(pk__in=service_people(service_id)) if service_id is not None else people
    held = people.filter(merged_into=None).exclude(nhs_number="")
    merged = people.exclude(merged_into=None)
    if client_id or nhs_number:
        ids, held = ids.filter(client_id=client_id), held.filter(nhs_number=nhs_number)
        merged = merged.filter(client_id=client_id)
    return {
        "nhs_holders": dict(held.values_list("nhs_number", "client_id")),
        "other_services_clients": set(ids.values_list("client_id", flat=True)),
        "merged_clients": dict(merged.values_list("client_id", "merged_into__client_id")),
    }


def service_for(code: str, organisation_name: str | None) -> Service:
    service = Service.objects.filter(code=code).first()
    if service is not None:
        return service
    network, _ = Network.objects.get_or_create(code="default", defaults={"name": "Default network"})
    organisation, _ = Organisation.objects.get_or_create(
        name=organisation_name or DEFAULT_ORGANISATION, defaults={"network": network}
    )
    return Service.objects.create(organisation=organisation, code=code, name=code)


def import_folder(
    folder: Path,
    service_code: str,
    *,
    organisation: str | None = None,
    actor: User | None = None,
    progress: Progress | None = None,
) -> Outcome:
    return import_dataset(
        read_dataset(folder),
        service_code,
        organisation=organisation,
        actor=actor,
        progress=progress,
        source=str(folder),
    )


def import_dataset(
    dataset: Dataset,
    service_code: str,
    *,
    source: str,
    organisation: str | None = None,
    actor: User | None = None,
    progress: Progress | None = None,
    written: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Check what was read, then write it all or nothing; `source` names it in the audit.
    `written` runs inside the import's transaction, so what it saves is kept only with it."""
    existing = Service.objects.filter(code=service_code).first()
    problems = dataset.problems
    problems.extend(check(dataset.tables, known_for(existing, organisation)))
    if problems:
        return Outcome(problems=problems.first(), more_problems=problems.more)
    with transaction.atomic():
        service = service_for(service_code, organisation)
        outcome = Writer(service, progress).write(dataset.tables)
        record(
            AuditAction.IMPORT,
            actor=actor,
            service_id=service.pk,
            actor_label="command line",
            details={"created": outcome.created, "updated": outcome.updated},
        )
        if written:
            written(outcome)
    refresh_statistics(sum(outcome.created.values()) + sum(outcome.updated.values()))
    return outcome


def refresh_statistics(rows_written: int) -> None:
    """After a bulk load PostgreSQL's planner still believes the tables are small until
    autovacuum catches up, and picks slow plans for reports; analyse them now."""
    if rows_written >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in MODELS.values():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Writer:
    def __init__(self, service: Service, progress: Progress | None) -> None:
        self.service = service
        self.outcome = Outcome()
        self.progress = progress or (lambda table, done, total: None)

    def write(self, tables: dict[str, list[Row]]) -> Outcome:
        refs = Refs()
        refs.staff = self.upsert("staff", tables["staff"], refs)
        refs.employers = self.upsert("employers", tables["employers"], refs)
        refs.teams = self.clinical_teams(tables["episodes"])
        refs.people = self.people(tables["episodes"])
        refs.episodes = self.upsert("episodes", tables["episodes"], refs)
        self.upsert("contacts", tables["contacts"], refs)
        self.upsert("jobs", tables["jobs"], refs)
        self.upsert("admissions", tables["admissions"], refs)
        self.upsert("measures", tables["measures"], refs)
        return self.outcome

    def upsert(self, table: str, rows: list[Row], refs: Refs) -> dict[str, Any]:
        """Create or update one table's rows; returns every record of the service by its id."""
        key, model = KEYS[table], MODELS[table]
        # The base manager: a deleted contact keeps its id, so a row naming it updates it (hidden).
        existing = {getattr(o, key): o for o in model._base_manager.filter(service=self.service)}
        new, changed = [], []
        for row in rows:
            values = record_fields(table, row.values, refs)
            obj = existing.get(row.values[key])
            if obj is None:
                obj = model(service=self.service, **{key: row.values[key]}, **values)
                new.append(obj)
                existing[row.values[key]] = obj
            elif any(getattr(obj, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(obj, name, value)
                obj.version += 1
                changed.append(obj)
        done, total = 0, len(new) + len(changed)
        for chunk in batches(new):
            model._default_manager.bulk_create(chunk)
            done += len(chunk)
            self.progress(table, done, total)
        update_fields = [*record_fields(table, rows[0].values, refs), "version"] if rows else []
        for chunk in batches(changed):
            model._default_manager.bulk_update(chunk, update_fields)
            done += len(chunk)
            self.progress(table, done, total)
        self.outcome.created[table] = len(new)
        self.outcome.updated[table] = len(changed)
        self.outcome.unchanged[table] = len(rows) - len(new) - len(changed)
        if new and model._meta.pk and not all(o.pk for o in new):  # SQLite < 3.35 returns no ids
            existing = {
                getattr(o, key): o for o in model._default_manager.filter(service=self.service)
            }
        return existing

    def clinical_teams(self, rows: list[Row]) -> dict[str, ClinicalTeam]:
        names = {r.values["clinical_team"] for r in rows if r.values["clinical_team"]}
        teams = {t.name: t for t in ClinicalTeam.objects.filter(service=self.service)}
        ClinicalTeam.objects.bulk_create(
            [ClinicalTeam(service=self.service, name=n) for n in sorted(names - teams.keys())]
        )
        return {t.name: t for t in ClinicalTeam.objects.filter(service=self.service)}

    def people(self, rows: list[Row]) -> dict[str, Person]:
        people = {p.client_id: p for p in service_people(self.service.pk)}
        new, changed = [], []
        for row in rows:
            v = row.values
            values = person_fields(v)
            person = people.get(v["client_id"])
            if person is None:
                person = Person(
                    service=self.service,
                    organisation_id=self.service.organisation_id,
                    client_id=v["client_id"],
                    **values,
                )
                people[v["client_id"]] = person
                new.append(person)
                continue
            values = kept_identifiers(person, values)
            if any(getattr(person, k) != val for k, val in values.items()):
                for k, val in values.items():
                    setattr(person, k, val)
                person.version += 1  # an edit begun on the change-details page is now stale
                changed.append(person)
        Person.objects.bulk_create(new, batch_size=BATCH)
        Person.objects.bulk_update(changed, [*PERSON_FIELDS, "version"], batch_size=BATCH)
        saved = {p.client_id: p for p in service_people(self.service.pk)}
        # Bulk writes skip save(), so the search index is brought up to date here (ADR 0019).
        reindex(saved[p.client_id] for p in [*new, *changed])
        return saved


def batches(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
