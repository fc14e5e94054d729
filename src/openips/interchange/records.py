"""One record written through the interchange rules, for the API: the same parsing, the same
checks across records and the same stored fields as a folder import, plus the version check and
the audit of every other edit in the product."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from openips.accounts.models import User
from openips.clients.models import Episode, Person
from openips.core import services
from openips.core.models import Versioned
from openips.employment.models import Employer
from openips.interchange.fields import MODELS, Refs, kept_identifiers, person_fields, record_fields
from openips.interchange.importer import organisation_known, service_people
from openips.interchange.reader import ParseError, Row, parse
from openips.interchange.schema import KEYS, TABLES
from openips.interchange.validate import Known, check
from openips.organisations.models import ClinicalTeam, Service, StaffMember


class Invalid(Exception):
    """The record was refused; nothing was saved. `problems` pairs a column with its message."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{c}: {m}" for c, m in problems))
        self.problems = problems


def as_text(value: Any) -> str:
    """A typed API value written as it would appear in an interchange file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def save(
    actor: User,
    service: Service,
    table: str,
    values: dict[str, Any],
    *,
    current: Versioned | None = None,
    started_from: int = 0,
) -> models.Model:
    """Create a record of `table` in `service`, or update `current` if it was at `started_from`.

    Raises Invalid with every problem found, or core.services.EditConflict.
    """
    key = KEYS[table]
    raw = {column.name: as_text(values.get(column.name)) for column in TABLES[table]}
    if current is not None:
        raw[key] = getattr(current, key)
    row, problems = parsed(table, raw)
    visible = Episode.objects.visible_to(actor).filter(service=service)
    known = known_about(service, row.values, visible)
    tables: dict[str, list[Row]] = {t: [row] if t == table else [] for t in TABLES}
    problems += [(p.column, p.message) for p in check(tables, known)]
    model = MODELS[table]
    ident = row.values[key]
    if current is None and model._base_manager.filter(service=service, **{key: ident}):
        problems.append((key, f"{ident} already exists in this service; update it instead"))
    if problems:
        raise Invalid(problems)
    with transaction.atomic():
        try:  # refs_for may save the episode's person: its model rules may refuse too
            refs = refs_for(actor, service, table, row.values, visible)
            fields = record_fields(table, row.values, refs)
            obj = current or model(service=service, **{key: ident})
            for name, value in fields.items():
                setattr(obj, name, value)
            if current is None:
                return services.create(actor, obj)
            return services.update(actor, current, started_from=started_from)  # obj is current
        except ValidationError as error:
            raise Invalid(
                [
                    ("" if name == NON_FIELD_ERRORS else name, message)
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            ) from None


def parsed(table: str, raw: dict[str, str]) -> tuple[Row, list[tuple[str, str]]]:
    row, problems = Row(1, {}, table), []
    for column in TABLES[table]:
        try:
            row.values[column.name] = parse(column, raw[column.name])
        except ParseError as error:
            row.values[column.name] = None
            row.failed.add(column.name)
            problems.append((column.name, str(error)))
    return row, problems


def known_about(service: Service, v: dict[str, Any], visible: models.QuerySet[Episode]) -> Known:
    """Only the records this row refers to, so a write costs the same in any size of service.
    An episode the user may not see is unknown to them, like one that does not exist."""
    return Known(
        staff_roles=dict(
            StaffMember.objects.filter(service=service).values_list("staff_id", "role")
        ),
        employers=set(
            Employer.objects.filter(
                service=service, employer_id=v.get("employer_id") or ""
            ).values_list("employer_id", flat=True)
        ),
        episode_referrals=dict(
            visible.filter(episode_id=v.get("episode_id") or "").values_list(
                "episode_id", "referral_date"
            )
        ),
        clients=set(
            visible_people(visible)
            .filter(client_id=v.get("client_id") or "")
            .values_list("client_id", flat=True)
        ),
        **organisation_known(
            service.organisation_id,
            service.pk,
            client_id=v.get("client_id") or "",
            nhs_number=v.get("nhs_number") or "",
        ),
    )


def visible_people(visible: models.QuerySet[Episode]) -> models.QuerySet[Person]:
    """The people of the service's episodes the user may see: a stay is recorded for them."""
    return Person.objects.filter(pk__in=visible.values("person_id"))


def refs_for(
    actor: User,
    service: Service,
    table: str,
    v: dict[str, Any],
    visible: models.QuerySet[Episode],
) -> Refs:
    staff_ids = [v.get("staff_id"), v.get("employment_specialist")]
    refs = Refs(
        staff={
            s.staff_id: s
            for s in StaffMember.objects.filter(
                service=service, staff_id__in=[i for i in staff_ids if i]
            )
        },
        employers={
            e.employer_id: e
            for e in Employer.objects.filter(service=service, employer_id=v.get("employer_id"))
        },
        episodes={e.episode_id: e for e in visible.filter(episode_id=v.get("episode_id"))},
    )
    if table == "admissions":
        refs.people = {
            p.client_id: p for p in visible_people(visible).filter(client_id=v["client_id"])
        }
    if table == "episodes":
        refs.people = {v["client_id"]: person(actor, service, v)}
        if v["clinical_team"]:
            team, _ = ClinicalTeam.objects.get_or_create(service=service, name=v["clinical_team"])
            refs.teams = {team.name: team}
    return refs


def person(actor: User, service: Service, v: dict[str, Any]) -> Person:
    """The episode's person, created or brought up to date with the episode's demographics."""
    values = person_fields(v)
    found = service_people(service.pk).filter(client_id=v["client_id"]).first()
    if found is None:
        return services.create(actor, Person(service=service, client_id=v["client_id"], **values))
    before = {name: getattr(found, name) for name in values}
    values = kept_identifiers(found, values)
    if before != values:
        for name, value in values.items():
            setattr(found, name, value)
        # As any edit: version-checked, audited, its earlier values kept (ADR 0020).
        return services.update(actor, found, started_from=found.version)
    return found
