"""The CapabilityStatement at /fhir/R4/metadata, made from the route table: exactly the
resources, interactions and search parameters served."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.http import HttpRequest, HttpResponse
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from openips.fhir import codes
from openips.fhir.http import answer
from openips.fhir.routes import ROUTES, Route

FHIR_VERSION = "4.0.1"
RELEASED = "2026-12-04"  # when this statement's content last changed

DOCUMENTATION = {
    "ServiceRequest": (
        "A referral to an IPS team: create with the patient contained, the team as the "
        f"performer's identifier ({codes.SERVICE_CODE}) and the sender's identifier, which "
        "makes posting it again answer with the same referral. Read: its status."
    ),
    "Task": (
        "The IPS team's work on a referral: requested, accepted, in-progress, completed, or "
        "cancelled when the referral closed before the team accepted it (statusReason says why)."
    ),
    "Patient": "A person referred to IPS; a clinician's role sees their name and client id only.",
    "EpisodeOfCare": "An IPS episode, with the employment specialist as careManager.",
    "Encounter": "A contact of the IPS team with the client (no notes).",
    "Observation": "The employment summary of an episode, as the record page shows it.",
}


def resource(name: str, routes: list[Route]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": name,
        "documentation": DOCUMENTATION[name],
        "interaction": [{"code": r.interaction} for r in routes],
    }
    params = [p for r in routes for p in r.searches]
    if params:
        entry["searchParam"] = [
            {
                "name": p.name,
                "definition": p.definition,
                "type": p.type,
                "documentation": p.documentation,
            }
            for p in params
        ]
    return entry


def statement(base: str) -> CapabilityStatement:
    by_type = groupby(sorted(ROUTES, key=lambda r: r.resource), key=lambda r: r.resource)
    return CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": RELEASED,
            "publisher": "OpenIPS",
            "kind": "instance",
            "software": {"name": "OpenIPS"},
            "implementation": {"description": "OpenIPS FHIR R4 interface", "url": base},
            "fhirVersion": FHIR_VERSION,
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Models checked with fhir.resources R4B; see docs/fhir.md",
                    "security": {
                        "description": "A personal API token: Authorization: Bearer …",
                    },
                    "resource": [resource(name, list(group)) for name, group in by_type],
                }
            ],
        }
    )


def metadata(request: HttpRequest) -> HttpResponse:
    """Public, as FHIR servers' statements are: it holds nothing about anyone."""
    return answer(statement(request.build_absolute_uri(request.path.rsplit("/", 1)[0] + "/")))
