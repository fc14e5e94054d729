"""Search parameters: each a name, its FHIR type, what it finds (for the CapabilityStatement)
and the filter a value makes. A search names at least one, each once, with one value; anything
else is a 400, so that no search reads more than was asked for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict

from openips.fhir import codes
from openips.fhir.http import MAX_ID, refused

IGNORED = {"_format"}  # JSON is all there is


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # token | reference
    documentation: str
    criterion: Callable[[str], Q]


def nhs_number(name: str, value: str) -> str:
    system, bar, number = value.partition("|")
    if not bar or system != codes.NHS_NUMBER or not number.strip():
        raise refused(400, "value", f"Search {name} as {codes.NHS_NUMBER}|{{NHS number}}", name)
    return number.replace(" ", "")


def reference(name: str, value: str, kind: str) -> int:
    """`Patient/12`, `12` or an absolute address ending in `Patient/12`."""
    tail = value.rstrip("/").rsplit("/", 2)
    pk = tail[-1]
    named = tail[-2] if len(tail) > 1 else kind
    if named != kind or not pk.isascii() or not pk.isdigit() or not 1 <= int(pk) <= MAX_ID:
        raise refused(400, "value", f"Search {name} as {kind}/{{id}}", name)
    return int(pk)


def identifier() -> SearchParam:
    return SearchParam(
        "identifier",
        "token",
        f"The patient's NHS number: {codes.NHS_NUMBER}|9990000000",
        lambda v: Q(nhs_number=nhs_number("identifier", v)),
    )


def patient_identifier(person: str) -> SearchParam:
    """`person`: the lookup from the resource's record to its person."""
    return SearchParam(
        "patient.identifier",
        "token",
        f"The patient's NHS number: {codes.NHS_NUMBER}|9990000000",
        lambda v: Q(**{f"{person}__nhs_number": nhs_number("patient.identifier", v)}),
    )


def patient(person: str) -> SearchParam:
    return SearchParam(
        "patient",
        "reference",
        "The patient, as Patient/{id}",
        lambda v: Q(**{f"{person}_id": reference("patient", v, "Patient")}),
    )


def based_on() -> SearchParam:
    return SearchParam(
        "based-on",
        "reference",
        "The referral the task fulfils, as ServiceRequest/{id}",
        lambda v: Q(pk=reference("based-on", v, "ServiceRequest")),
    )


def criteria(params: Sequence[SearchParam], query: QueryDict) -> Q:
    known = {p.name: p for p in params}
    asked = [name for name in query if name not in IGNORED]
    if unknown := [name for name in asked if name not in known]:
        supported = ", ".join(known)
        raise refused(
            400,
            "not-supported",
            f"Not a search parameter here: {', '.join(unknown)}. Search by {supported}",
        )
    if not asked:
        raise refused(400, "required", f"Search by {', '.join(known)}")
    found = Q()
    for name in asked:
        values = query.getlist(name)
        if len(values) != 1 or "," in values[0]:
            raise refused(400, "not-supported", f"Give {name} once, with one value", name)
        found &= known[name].criterion(values[0])
    return found
