"""Rules across rows and files: unique ids, references that exist (in the files or already in
the service), dates in order, and fields required when others are set. First, every value is
held to its model field's own rules (core.rules: date bounds, number ranges, one-line text, id
characters, lengths), the same validators the forms and the API run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from openips.clients.measures import score_problem
from openips.interchange.fields import PERSON_FIELDS, model_field
from openips.interchange.reader import Problem, Row
from openips.interchange.schema import BOOL, CODE, KEYS, TABLES
from openips.organisations.models import StaffRole


@dataclass
class Known:
    """What the service already holds, so files may refer to records they do not repeat."""

    staff_roles: dict[str, str] = field(default_factory=dict)
    employers: set[str] = field(default_factory=set)
    episode_referrals: dict[str, date] = field(default_factory=dict)
    # The organisation's: an NHS number is one person's, a client id names one person (ADR 0021).
    nhs_holders: dict[str, str] = field(default_factory=dict)  # NHS number → client_id
    other_services_clients: set[str] = field(default_factory=set)
    merged_clients: dict[str, str] = field(default_factory=dict)  # client_id → kept client_id
    clients: set[str] = field(default_factory=set)  # the people of the service, by client_id


class Checker:
    def __init__(self, tables: dict[str, list[Row]], known: Known) -> None:
        self.tables = tables
        self.problems: list[Problem] = []
        self.field_rules()
        self.staff_roles = {
            **known.staff_roles,
            **{
                r.values["staff_id"]: r.values["role"]
                for r in tables["staff"]
                if r.values["staff_id"]
            },
        }
        self.employers = known.employers | {r.values["employer_id"] for r in tables["employers"]}
        self.nhs_holders = known.nhs_holders
        self.other_services_clients = known.other_services_clients
        self.merged_clients = known.merged_clients
        self.referrals = {
            **known.episode_referrals,
            **{r.values["episode_id"]: r.values["referral_date"] for r in tables["episodes"]},
        }
        self.clients = known.clients | {r.values["client_id"] for r in tables["episodes"]}

    def add(self, table: str, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(row.file or f"{table}.csv", row.line, column, message))

    def field_rules(self) -> None:
        """A value its field refuses is reported and taken out (None, like a cell that did not
        parse), so the rules after this one neither trip over it nor report it again."""
        for table, columns in TABLES.items():
            # Codes and yes/no the reader has already held to their lists.
            checked = [c for c in columns if c.kind not in (CODE, BOOL)]
            fields = {c.name: model_field(table, c.name) for c in checked}
            for row in self.tables[table]:
                for name, model_field_ in fields.items():
                    value = row.values.get(name)
                    if value is None:
                        continue
                    try:
                        model_field_.run_validators(value)
                    except ValidationError as error:
                        for message in error.messages:
                            self.add(table, row, name, message)
                        row.values[name] = None
                        row.failed.add(name)

    def in_order(self, table: str, row: Row, first: str, second: str) -> None:
        a, b = row.values.get(first), row.values.get(second)
        if a is not None and b is not None and b < a:
            self.add(table, row, second, f"must be on or after {first} ({a.isoformat()})")

    def unique_keys(self) -> None:
        for table, key in KEYS.items():
            seen: dict[Any, int] = {}
            for row in self.tables[table]:
                value = row.values.get(key)
                if value is None:
                    continue
                if value in seen:
                    self.add(
                        table,
                        row,
                        key,
                        f"{value} appears more than once (first on line {seen[value]})",
                    )
                else:
                    seen[value] = row.line

    def staff(self) -> None:
        for row in self.tables["staff"]:
            fte: Decimal | None = row.values["fte"]
            missing = fte is None and "fte" not in row.failed
            if row.values["role"] == StaffRole.EMPLOYMENT_SPECIALIST and missing:
                self.add("staff", row, "fte", "is required for an employment specialist")
            self.in_order("staff", row, "start_date", "end_date")

    def one_person(self, row: Row, nhs_seen: dict[str, Row]) -> None:
        """A client id of another of the organisation's services, or an NHS number another
        client holds, would make a second record of someone."""
        client, nhs = row.values["client_id"], row.values["nhs_number"]
        if client in self.other_services_clients:
            self.add(
                "episodes",
                row,
                "client_id",
                f"{client} is a client of another service of the organisation",
            )
        if client in self.merged_clients:
            kept = self.merged_clients[client]
            self.add("episodes", row, "client_id", f"{client} was merged into client {kept}")
        if not nhs or "nhs_number" in row.failed:
            return
        holder = self.nhs_holders.get(nhs)
        if holder is not None and holder != client:
            self.add("episodes", row, "nhs_number", f"already belongs to client {holder}")
        first = nhs_seen.setdefault(nhs, row)
        if first.values["client_id"] != client:
            self.add(
                "episodes",
                row,
                "nhs_number",
                f"is also given for client {first.values['client_id']} on line {first.line}",
            )

    def episodes(self) -> None:
        people: dict[str, Row] = {}
        nhs_seen: dict[str, Row] = {}
        for row in self.tables["episodes"]:
            v = row.values
            es = v["employment_specialist"]
            if (
                v["accepted_date"] is not None
                and es is None
                and "employment_specialist" not in row.failed
            ):
                self.add(
                    "episodes",
                    row,
                    "employment_specialist",
                    "is required when accepted_date is set",
                )
            if es is not None:
                role = self.staff_roles.get(es)
                if role is None:
                    self.add("episodes", row, "employment_specialist", f"unknown staff_id {es}")
                elif role != StaffRole.EMPLOYMENT_SPECIALIST:
                    self.add(
                        "episodes",
                        row,
                        "employment_specialist",
                        f"{es} is not an employment specialist (role {role})",
                    )
            if (
                v["vocational_profile_date"] is not None
                and v["accepted_date"] is None
                and "accepted_date" not in row.failed
            ):
                self.add("episodes", row, "vocational_profile_date", "needs accepted_date")
            for first, second in (
                ("referral_date", "accepted_date"),
                ("accepted_date", "vocational_profile_date"),
                ("vocational_profile_date", "discharge_date"),
                ("referral_date", "discharge_date"),
                ("accepted_date", "discharge_date"),
            ):
                self.in_order("episodes", row, first, second)
            if (
                v["discharge_date"] is not None
                and v["discharge_reason"] is None
                and "discharge_reason" not in row.failed
            ):
                self.add(
                    "episodes", row, "discharge_reason", "is required when discharge_date is set"
                )
            if v["client_id"] is None:
                continue
            self.one_person(row, nhs_seen)
            earlier = people.setdefault(v["client_id"], row)
            for name in PERSON_FIELDS:
                if name in row.failed or name in earlier.failed:
                    continue
                if earlier is not row and earlier.values[name] != v[name]:
                    self.add(
                        "episodes",
                        row,
                        name,
                        f"differs from the same client's episode on line {earlier.line}",
                    )

    def contacts(self) -> None:
        for row in self.tables["contacts"]:
            v = row.values
            if v["staff_id"] is not None and v["staff_id"] not in self.staff_roles:
                self.add("contacts", row, "staff_id", f"unknown staff_id {v['staff_id']}")
            if (
                v["contact_with"] == "client"
                and v["episode_id"] is None
                and "episode_id" not in row.failed
            ):
                self.add("contacts", row, "episode_id", "is required for a contact with a client")
            if v["episode_id"] is not None and v["episode_id"] not in self.referrals:
                self.add("contacts", row, "episode_id", f"unknown episode_id {v['episode_id']}")
            if v["employer_id"] is not None and v["employer_id"] not in self.employers:
                self.add("contacts", row, "employer_id", f"unknown employer_id {v['employer_id']}")

    def jobs(self) -> None:
        for row in self.tables["jobs"]:
            v = row.values
            referral = self.referrals.get(v["episode_id"])
            if v["episode_id"] is not None and referral is None:
                self.add("jobs", row, "episode_id", f"unknown episode_id {v['episode_id']}")
            if v["employer_id"] is not None and v["employer_id"] not in self.employers:
                self.add("jobs", row, "employer_id", f"unknown employer_id {v['employer_id']}")
            self.in_order("jobs", row, "start_date", "end_date")
            if (
                v["end_date"] is not None
                and v["end_reason"] is None
                and "end_reason" not in row.failed
            ):
                self.add("jobs", row, "end_reason", "is required when end_date is set")
            if referral is not None and v["start_date"] is not None and v["start_date"] < referral:
                self.add(
                    "jobs",
                    row,
                    "start_date",
                    f"is before the episode's referral_date ({referral.isoformat()})",
                )

    def admissions(self) -> None:
        for row in self.tables["admissions"]:
            client = row.values["client_id"]
            if client in self.merged_clients:  # the stay belongs on the kept record
                kept = self.merged_clients[client]
                self.add("admissions", row, "client_id", f"{client} was merged into client {kept}")
            elif client is not None and client not in self.clients:
                self.add("admissions", row, "client_id", f"unknown client_id {client}")
            self.in_order("admissions", row, "admission_date", "discharge_date")

    def measures(self) -> None:
        for row in self.tables["measures"]:
            v = row.values
            referral = self.referrals.get(v["episode_id"])
            if v["episode_id"] is not None and referral is None:
                self.add("measures", row, "episode_id", f"unknown episode_id {v['episode_id']}")
            scored = v["measure"] is not None and v["score"] is not None
            if scored and (problem := score_problem(v["measure"], v["score"])):
                self.add("measures", row, "score", problem)
            if referral is not None and v["date"] is not None and v["date"] < referral:
                self.add(
                    "measures",
                    row,
                    "date",
                    f"is before the episode's referral_date ({referral.isoformat()})",
                )


def check(tables: dict[str, list[Row]], known: Known) -> list[Problem]:
    checker = Checker(tables, known)
    for rule in (
        checker.unique_keys,
        checker.staff,
        checker.episodes,
        checker.contacts,
        checker.jobs,
        checker.admissions,
        checker.measures,
    ):
        rule()
    return checker.problems
