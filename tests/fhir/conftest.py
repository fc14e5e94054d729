"""The FHIR interface driven as a trust's clinical system would: fhirpy's SyncFHIRClient against
the live server with a personal token, referrals built with the fhir.resources R4B models, and
every resource that comes back checked against them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhirpy import SyncFHIRClient

from openips.accounts.tokens import create_token
from openips.fhir import codes
from tests.conftest import World
from tests.factories import nhs_number

BASE = "/fhir/R4"


def validated(resource: Any) -> Any:
    """The resource (a dict from the server) parsed by its fhir.resources R4B model: it fails
    the test if the server sent anything the model refuses. Bundles are checked entry by entry."""
    data = dict(resource)
    model = get_fhir_model_class(data["resourceType"]).model_validate(data)
    for entry in data.get("entry", []):
        validated(entry["resource"])
    return model


def referral(
    *,
    identifier: str = "REF-1",
    number: str | None = None,
    service: str = "svc-a",
    family: str = "Okafor",
    given: str = "Ada",
    born: str = "1990-05-17",
    authored: str = "2026-01-05",
    employment: str = "unemployed",
) -> ServiceRequest:
    """A referral as a clinical system sends one, built with the R4B models."""
    patient = Patient(
        id="patient",
        identifier=[Identifier(system=codes.NHS_NUMBER, value=number or nhs_number(5001))],
        name=[{"family": family, "given": [given]}],
        birthDate=born,
        gender="female",
    )
    return ServiceRequest(
        contained=[patient],
        identifier=[
            Identifier(system="https://trust.example.nhs.uk/Id/referral", value=identifier)
        ],
        status="active",
        intent="order",
        code={"coding": [{"system": codes.SNOMED, "code": codes.IPS_REFERRAL}]},
        subject={"reference": "#patient"},
        authoredOn=authored,
        requester={"display": "Dr Rhea Patel"},
        performer=[{"identifier": {"system": codes.SERVICE_CODE, "value": service}}],
        note=[{"text": "Wants to get back to work in retail"}],
        extension=[
            Extension(
                url=codes.EMPLOYMENT_AT_REFERRAL,
                valueCoding={"system": codes.EMPLOYMENT_STATUS, "code": employment},
            )
        ],
    )


def as_json(resource: Any) -> dict[str, Any]:
    data: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    return data


class Fhir:
    """A clinical system's connection: fhirpy for the interactions, plain requests where a
    test needs the status or headers fhirpy does not give."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        self.client = SyncFHIRClient(url, authorization=self.headers["Authorization"])

    def post(self, resource: Any) -> requests.Response:
        body = resource if isinstance(resource, dict) else as_json(resource)
        return requests.post(
            f"{self.url}/{body['resourceType']}",
            json=body,
            headers={**self.headers, "Content-Type": "application/fhir+json"},
            timeout=30,
        )

    def post_raw(
        self, path: str, body: bytes, media: str = "application/fhir+json"
    ) -> requests.Response:
        headers = {**self.headers, "Content-Type": media}
        return requests.post(f"{self.url}/{path}", data=body, headers=headers, timeout=30)

    def get(self, path: str, **params: str) -> requests.Response:
        return requests.get(f"{self.url}/{path}", params=params, headers=self.headers, timeout=30)

    def read(self, kind: str, pk: int | str) -> Any:
        found = self.client.get(kind, str(pk))
        validated(found)
        return found

    def search(self, kind: str, **params: str) -> Any:
        found = self.client.execute(kind, method="get", params=params)
        validated(found)
        return found


@pytest.fixture
def fhir_for(world: World, live_server: Any) -> Callable[[str], Fhir]:
    """fhir_for(Role.X) → a connection with a personal token of that role's user."""
    return lambda role: Fhir(live_server.url + BASE, create_token(world.users[role], "fhir")[1])
