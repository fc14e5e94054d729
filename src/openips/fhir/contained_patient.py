"""The patient a referral is about: contained in the request (UK Core Patient's elements) and
referenced from `subject`, read into a person's details with the rules of their fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from openips.core import rules
from openips.fhir import codes
from openips.fhir.reading import Reading, checked, listed, one_line, text_of

ROOT = "ServiceRequest"


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
