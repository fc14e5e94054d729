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

from django.db import models, transaction

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Employer, Job
from openips.interchange.reader import Problem, Row, read_dataset
from openips.interchange.schema import KEYS
from openips.interchange.validate import Known, check
from openips.organisations.models import ClinicalTeam, Network, Organisation, Service, StaffMember

BATCH = 2000
Progress = Callable[[str, int, int], None]  # table, rows written so far, rows in the table


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def known_for(service: Service | None) -> Known:
    if service is None:
        return Known()
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
    )


def service_for(code: str, organisation_name: str | None) -> Service:
    service = Service.objects.filter(code=code).first()
    if service is not None:
        return service
    network, _ = Network.objects.get_or_create(code="default", defaults={"name": "Default network"})
    organisation, _ = Organisation.objects.get_or_create(
        name=organisation_name or "Imported services", defaults={"network": network}
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
    tables, problems = read_dataset(folder)
    existing = Service.objects.filter(code=service_code).first()
    problems += check(tables, known_for(existing))
    if problems:
        return Outcome(problems=sorted(problems))
    with transaction.atomic():
        service = service_for(service_code, organisation)
        outcome = Writer(service, progress).write(tables)
        record(
            AuditAction.IMPORT,
            actor=actor,
            service_id=service.pk,
            actor_label="command line",
            changes={"folder": str(folder), "created": outcome.created, "updated": outcome.updated},
        )
    return outcome


class Writer:
    def __init__(self, service: Service, progress: Progress | None) -> None:
        self.service = service
        self.outcome = Outcome()
        self.progress = progress or (lambda table, done, total: None)

    def write(self, tables: dict[str, list[Row]]) -> Outcome:
        staff = self.upsert(
            "staff",
            StaffMember,
            tables["staff"],
            lambda v: {
                "name": v["name"],
                "role": v["role"],
                "fte": v["fte"],
                "start_date": v["start_date"],
                "end_date": v["end_date"],
            },
        )
        employers = self.upsert(
            "employers",
            Employer,
            tables["employers"],
            lambda v: {
                "name": v["name"],
                "sector": v["sector"] or "",
                "postcode_district": v["postcode_district"] or "",
            },
        )
        teams = self.clinical_teams(tables["episodes"])
        people = self.people(tables["episodes"])
        episodes = self.upsert(
            "episodes",
            Episode,
            tables["episodes"],
            lambda v: {
                "person_id": people[v["client_id"]].pk,
                "referral_date": v["referral_date"],
                "referral_source": v["referral_source"],
                "employment_status_at_referral": v["employment_status_at_referral"],
                "accepted_date": v["accepted_date"],
                "employment_specialist_id": staff[v["employment_specialist"]].pk
                if v["employment_specialist"]
                else None,
                "clinical_team_id": teams[v["clinical_team"]].pk if v["clinical_team"] else None,
                "vocational_profile_date": v["vocational_profile_date"],
                "discharge_date": v["discharge_date"],
                "discharge_reason": v["discharge_reason"] or "",
            },
        )
        self.upsert(
            "contacts",
            Contact,
            tables["contacts"],
            lambda v: {
                "date": v["date"],
                "staff_id": staff[v["staff_id"]].pk,
                "contact_with": v["contact_with"],
                "episode_id": episodes[v["episode_id"]].pk if v["episode_id"] else None,
                "employer_id": employers[v["employer_id"]].pk if v["employer_id"] else None,
                "mode": v["mode"],
                "setting": v["setting"] or "",
                "minutes": v["minutes"],
                "purpose": v["purpose"],
                "attended": v["attended"] is not False,
                "matches_preferences": v["matches_preferences"],
            },
        )
        self.upsert(
            "jobs",
            Job,
            tables["jobs"],
            lambda v: {
                "episode_id": episodes[v["episode_id"]].pk,
                "employer_id": employers[v["employer_id"]].pk if v["employer_id"] else None,
                "job_title": v["job_title"],
                "job_type": v["job_type"] or "",
                "start_date": v["start_date"],
                "start_confirmed": v["start_confirmed"] is not False,
                "end_date": v["end_date"],
                "end_reason": v["end_reason"] or "",
                "hours_per_week": v["hours_per_week"],
                "hourly_pay": v["hourly_pay"],
                "competitive": v["competitive"],
                "permanent": v["permanent"],
            },
        )
        return self.outcome

    def upsert(
        self,
        table: str,
        model: type[models.Model],
        rows: list[Row],
        fields_of: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """Create or update one table's rows; returns every record of the service by its id."""
        key = KEYS[table]
        existing = {getattr(o, key): o for o in model._default_manager.filter(service=self.service)}
        new, changed = [], []
        for row in rows:
            values = fields_of(row.values)
            obj = existing.get(row.values[key])
            if obj is None:
                obj = model(service=self.service, **{key: row.values[key]}, **values)
                new.append(obj)
                existing[row.values[key]] = obj
            elif any(getattr(obj, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(obj, name, value)
                if hasattr(obj, "version"):
                    obj.version += 1
                changed.append(obj)
        done, total = 0, len(new) + len(changed)
        for chunk in batches(new):
            model._default_manager.bulk_create(chunk)
            done += len(chunk)
            self.progress(table, done, total)
        update_fields = [
            *fields_of_names(fields_of, rows),
            *(["version"] if hasattr(model, "version") else []),
        ]
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
        people = {p.client_id: p for p in Person.objects.filter(service=self.service)}
        new, changed = [], []
        for row in rows:
            v = row.values
            values = {
                "nhs_number": v["nhs_number"] or "",
                "date_of_birth": v["date_of_birth"],
                "gender": v["gender"] or "",
                "ethnicity": v["ethnicity"] or "",
            }
            person = people.get(v["client_id"])
            if person is None:
                person = Person(service=self.service, client_id=v["client_id"], **values)
                people[v["client_id"]] = person
                new.append(person)
            elif any(getattr(person, k) != val for k, val in values.items()):
                for k, val in values.items():
                    setattr(person, k, val)
                changed.append(person)
        Person.objects.bulk_create(new, batch_size=BATCH)
        Person.objects.bulk_update(
            changed, ["nhs_number", "date_of_birth", "gender", "ethnicity"], batch_size=BATCH
        )
        return {p.client_id: p for p in Person.objects.filter(service=self.service)}


def fields_of_names(
    fields_of: Callable[[dict[str, Any]], dict[str, Any]], rows: list[Row]
) -> list[str]:
    return list(fields_of(rows[0].values)) if rows else []


def batches(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
