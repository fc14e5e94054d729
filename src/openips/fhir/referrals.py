"""A referral in: a ServiceRequest read into what an episode needs, with every problem found at
once, each naming its element. First the `fhir.resources` model (R4's shapes and types), then
what this service asks of a referral: the IPS code, a contained patient with a valid NHS
number, a referral date that has happened, the receiving team, and the rules of the model
fields the values go into (ADR 0016)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.servicerequest import ServiceRequest

from openips.clients.codes import EmploymentStatus
from openips.core import rules
from openips.fhir import codes
from openips.fhir.contained_patient import the_patient
from openips.fhir.http import Issue
from openips.fhir.reading import Reading, checked, listed, model_problems, one_line, text_of

ROOT = "ServiceRequest"


@dataclass(frozen=True)
class Referral:
    identifier: tuple[str, str]  # the sender's (system, value): the key of posting again
    service_code: str
    person: dict[str, Any]  # given_name, family_name, nhs_number, date_of_birth, gender
    referral_date: date | None  # None only with a problem that says why
    requester: str
    employment_status: str


def the_identifier(body: dict[str, Any], reading: Reading) -> tuple[str, str]:
    for given in listed(body.get("identifier")):
        if isinstance(given, dict) and text_of(given.get("system")) and text_of(given.get("value")):
            system, value = text_of(given["system"]), text_of(given["value"])
            one_line(reading, f"{ROOT}.identifier", system, 200)
            one_line(reading, f"{ROOT}.identifier", value, 100)
            return system, value
    reading.problem(
        "required",
        f"{ROOT}.identifier",
        "Give the referral an identifier with a system and a value: posting it again then "
        "makes no second referral",
    )
    return "", ""


def the_code(body: dict[str, Any], reading: Reading) -> None:
    concept = body.get("code")
    codings = listed(concept.get("coding")) if isinstance(concept, dict) else []
    if not any(
        isinstance(c, dict)
        and c.get("system") == codes.SNOMED
        and c.get("code") == codes.IPS_REFERRAL
        for c in codings
    ):
        reading.problem(
            "code-invalid",
            f"{ROOT}.code",
            f"{ROOT}.code must be SNOMED CT {codes.IPS_REFERRAL} (referral to an IPS service), "
            f"system {codes.SNOMED}",
        )


def fixed(body: dict[str, Any], reading: Reading, name: str, wanted: str) -> None:
    path = f"{ROOT}.{name}"
    if name not in body:
        reading.problem("required", path, f"{path}: give it, as {wanted}")
    elif body[name] != wanted:
        reading.problem("value", path, f"{path} must be {wanted}")


def referral_date(body: dict[str, Any], reading: Reading) -> date | None:
    path, raw = f"{ROOT}.authoredOn", body.get("authoredOn")
    if raw is None:
        reading.problem("required", path, f"{path}: give the referral date")
        return None
    try:
        moment: date = datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
    except (TypeError, ValueError):
        reading.problem("value", path, f"{path} must be a date, like 2026-03-04")
        return None
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment) if moment.tzinfo else moment.date()
    checked(reading, path, moment, rules.HAPPENED)
    return moment


SERVICE_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")  # a team's code: a slug (organisations)


def the_service(body: dict[str, Any], reading: Reading) -> str:
    """The team's code, if it is one a team could have: nothing else is looked up, or said
    back (the words are the same whatever was sent)."""
    path = f"{ROOT}.performer"
    for performer in listed(body.get("performer")):
        identifier = performer.get("identifier") if isinstance(performer, dict) else None
        if (
            isinstance(identifier, dict)
            and identifier.get("system") == codes.SERVICE_CODE
            and text_of(identifier.get("value"))
        ):
            code = text_of(identifier["value"])
            if SERVICE_CODE.fullmatch(code):
                return code
            reading.problem(
                "value",
                path,
                f"{path}: a service code is up to 40 letters, digits, hyphens and underscores",
            )
            return ""
    reading.problem(
        "required",
        f"{ROOT}.performer",
        f"{ROOT}.performer: name the IPS team by its service code, system {codes.SERVICE_CODE}",
    )
    return ""


def the_requester(body: dict[str, Any], reading: Reading) -> str:
    requester = body.get("requester")
    display = text_of(requester.get("display")) if isinstance(requester, dict) else ""
    if not display:
        reading.problem(
            "required",
            f"{ROOT}.requester",
            f"{ROOT}.requester: give the referrer's name as its display",
        )
    return one_line(reading, f"{ROOT}.requester", display, 200)


def employment_status(body: dict[str, Any], reading: Reading) -> str:
    path = f"{ROOT}.extension('{codes.EMPLOYMENT_AT_REFERRAL}')"
    for extension in listed(body.get("extension")):
        if isinstance(extension, dict) and extension.get("url") == codes.EMPLOYMENT_AT_REFERRAL:
            coding = extension.get("valueCoding")
            if (
                isinstance(coding, dict)
                and coding.get("system") == codes.EMPLOYMENT_STATUS
                and coding.get("code") in EmploymentStatus.values
            ):
                return str(coding["code"])
            reading.problem(
                "code-invalid",
                path,
                f"{path} must be a valueCoding of {codes.EMPLOYMENT_STATUS}: "
                f"{', '.join(EmploymentStatus.values)}",
            )
            return ""
    reading.problem("required", path, f"{path}: give the person's employment status at referral")
    return ""


def read(body: dict[str, Any]) -> tuple[Referral, list[Issue]]:
    """The referral and every problem with it: it is whole only when there are none."""
    reading = Reading()
    model_problems(ServiceRequest, body, reading)
    fixed(body, reading, "status", "active")
    fixed(body, reading, "intent", "order")
    the_code(body, reading)
    referral = Referral(
        identifier=the_identifier(body, reading),
        service_code=the_service(body, reading),
        person=the_patient(body, reading),
        referral_date=referral_date(body, reading),
        requester=the_requester(body, reading),
        employment_status=employment_status(body, reading),
    )
    return referral, reading.issues
