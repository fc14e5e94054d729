"""A referral in: a ServiceRequest read into what an episode needs, with every problem found at
once, each naming its element. First the `fhir.resources` model (R4's shapes and types), then
what this service asks of a referral: the IPS code, a contained patient with a valid NHS
number, a referral date that has happened, the receiving team, and the rules of the model
fields the values go into (ADR 0016)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.utils import timezone
from fhir.resources.R4B.servicerequest import ServiceRequest

from openips.clients.codes import EmploymentStatus
from openips.core import rules
from openips.fhir import codes
from openips.fhir.http import Issue

ROOT = "ServiceRequest"


@dataclass(frozen=True)
class Referral:
    identifier: tuple[str, str]  # the sender's (system, value): the key of posting again
    service_code: str
    person: dict[str, Any]  # given_name, family_name, nhs_number, date_of_birth, gender
    referral_date: date
    requester: str
    employment_status: str


@dataclass
class Reading:
    issues: list[Issue] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # elements the model refused already

    def problem(self, code: str, path: str, text: str) -> None:
        if not any(
            path == f or path.startswith(f + ".") or path.startswith(f + "[") for f in self.flagged
        ):
            self.issues.append(Issue(code, text, path))


def path_of(loc: tuple[int | str, ...]) -> str:
    path = ROOT
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.isidentifier():
            path += f".{part}"
    return path


MODEL_CODES = {
    "missing": "required",
    "model_field_validation.missing": "required",
    "extra_forbidden": "structure",
}


def model_problems(body: dict[str, Any], reading: Reading) -> None:
    try:
        ServiceRequest.model_validate(body)
    except pydantic.ValidationError as invalid:
        for error in invalid.errors():
            path = path_of(tuple(error["loc"]))
            words = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                words = "is not an element here"
            reading.issues.append(
                Issue(MODEL_CODES.get(error["type"], "value"), f"{path}: {words}", path)
            )
            reading.flagged.add(path)


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def checked(reading: Reading, path: str, value: Any, *validators: Any) -> None:
    for validator in validators:
        try:
            validator(value)
        except ValidationError as refused:
            reading.problem("value", path, f"{path} {refused.messages[0]}")
            return


def one_line(reading: Reading, path: str, value: str, longest: int) -> str:
    if len(value) > longest:
        reading.problem("value", path, f"{path} must be {longest} characters or fewer")
    checked(reading, path, value, rules.TEXT)
    return value


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


def the_patient(body: dict[str, Any], reading: Reading) -> dict[str, Any]:
    subject = body.get("subject")
    reference = text_of(subject.get("reference")) if isinstance(subject, dict) else ""
    for n, contained in enumerate(listed(body.get("contained"))):
        if (
            isinstance(contained, dict)
            and contained.get("resourceType") == "Patient"
            and reference == f"#{contained.get('id')}"
        ):
            return patient_details(contained, f"{ROOT}.contained[{n}]", reading)
    reading.problem(
        "invalid",
        f"{ROOT}.subject",
        f"{ROOT}.subject must reference the patient contained in the request, like #patient",
    )
    return {}


def patient_details(patient: dict[str, Any], path: str, reading: Reading) -> dict[str, Any]:
    details: dict[str, Any] = {"nhs_number": nhs_number(patient, path, reading)}
    names = [n for n in listed(patient.get("name")) if isinstance(n, dict)]
    name = names[0] if names else {}
    given = next((text_of(g) for g in listed(name.get("given")) if text_of(g)), "")
    details["family_name"] = one_line(reading, f"{path}.name", text_of(name.get("family")), 100)
    details["given_name"] = one_line(reading, f"{path}.name", given, 100)
    if not (details["family_name"] and details["given_name"]):
        reading.problem(
            "required",
            f"{path}.name",
            f"{path}.name: give the patient's family name and a given name",
        )
    born = patient.get("birthDate")
    details["date_of_birth"] = None
    if isinstance(born, str):
        try:
            details["date_of_birth"] = date.fromisoformat(born)
            checked(reading, f"{path}.birthDate", details["date_of_birth"], rules.HAPPENED)
        except ValueError:
            reading.problem(
                "value",
                f"{path}.birthDate",
                f"{path}.birthDate must be a whole date, like 1990-05-17",
            )
    gender = patient.get("gender")
    details["gender"] = codes.GENDER_IN.get(gender, "") if isinstance(gender, str) else ""
    if gender is not None and not details["gender"]:
        reading.problem(
            "code-invalid",
            f"{path}.gender",
            f"{path}.gender must be male, female, other or unknown",
        )
    return details


def nhs_number(patient: dict[str, Any], path: str, reading: Reading) -> str:
    for n, given in enumerate(listed(patient.get("identifier"))):
        if isinstance(given, dict) and given.get("system") == codes.NHS_NUMBER:
            value = text_of(given.get("value")).replace(" ", "")
            checked(reading, f"{path}.identifier[{n}].value", value, rules.NhsNumber())
            return value
    reading.problem(
        "required",
        f"{path}.identifier",
        f"{path}.identifier: give the patient's NHS number, system {codes.NHS_NUMBER}",
    )
    return ""


def the_service(body: dict[str, Any], reading: Reading) -> str:
    for performer in listed(body.get("performer")):
        identifier = performer.get("identifier") if isinstance(performer, dict) else None
        if (
            isinstance(identifier, dict)
            and identifier.get("system") == codes.SERVICE_CODE
            and text_of(identifier.get("value"))
        ):
            return text_of(identifier["value"])
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
    model_problems(body, reading)
    fixed(body, reading, "status", "active")
    fixed(body, reading, "intent", "order")
    the_code(body, reading)
    referral = Referral(
        identifier=the_identifier(body, reading),
        service_code=the_service(body, reading),
        person=the_patient(body, reading),
        referral_date=referral_date(body, reading) or date.min,
        requester=the_requester(body, reading),
        employment_status=employment_status(body, reading),
    )
    return referral, reading.issues
