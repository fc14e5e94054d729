"""Search parameters: each R4's own (its name, type and canonical definition, for the
CapabilityStatement), what the audit trail records a search by, and the filter a value makes. A
search names at least one, each once, with one value; anything else is a 400, so that no search
reads more than was asked for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict

from openips.clients.search import QueryKind
from openips.core.params import row_id
from openips.fhir import codes
from openips.fhir.http import refused

IGNORED = {"_format"}  # JSON is all there is
R4 = "http://hl7.org/fhir/SearchParameter/"


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # token | reference
    definition: str  # R4's SearchParameter of this name
    documentation: str
    kind: str  # what the trail records a search by: never its value
    criterion: Callable[[str], Q]
    chained: tuple[SearchParam, ...] = ()  # searches through this one (patient.identifier)


@dataclass(frozen=True)
class Asked:
    """A search as read from the address: of what, what it finds, and what the trail says of
    it (the kind of search, never its values)."""

    resource: str
    where: Q
    kind: str


def nhs_number(name: str, value: str) -> str:
    system, bar, number = value.partition("|")
    if not bar or system != codes.NHS_NUMBER or not number.strip():
        raise refused(400, "value", f"Search {name} as {codes.NHS_NUMBER}|{{NHS number}}", name)
    return number.replace(" ", "")


def reference(name: str, value: str, kind: str) -> int:
    """`Patient/12`, `12` or an absolute address ending in `Patient/12`, as a row's id."""
    tail = value.rstrip("/").rsplit("/", 2)
    named = tail[-2] if len(tail) > 1 else kind
    pk = row_id(tail[-1])
    if named != kind or pk is None:
        raise refused(400, "value", f"Search {name} as {kind}/{{id}}", name)
    return pk


BY_NHS_NUMBER = f"the patient's NHS number, {codes.NHS_NUMBER}|9990000000"


def identifier() -> SearchParam:
    return SearchParam(
        "identifier",
        "token",
        f"{R4}Patient-identifier",
        f"The patient's NHS number: {codes.NHS_NUMBER}|9990000000",
        QueryKind.NHS_NUMBER,
        lambda v: Q(nhs_number=nhs_number("identifier", v)),
    )


def patient(person: str) -> SearchParam:
    """`person`: the lookup from the resource's record to its person. The patient by id, or
    chained, by their NHS number (`patient.identifier`)."""
    by_number = SearchParam(
        "patient.identifier",
        "token",
        f"{R4}Patient-identifier",
        BY_NHS_NUMBER,
        QueryKind.NHS_NUMBER,
        lambda v: Q(**{f"{person}__nhs_number": nhs_number("patient.identifier", v)}),
    )
    return SearchParam(
        "patient",
        "reference",
        f"{R4}clinical-patient",
        f"The patient, as Patient/{{id}}; or chained, patient.identifier: {BY_NHS_NUMBER}",
        "patient",
        lambda v: Q(**{f"{person}_id": reference("patient", v, "Patient")}),
        chained=(by_number,),
    )


def based_on() -> SearchParam:
    return SearchParam(
        "based-on",
        "reference",
        f"{R4}Task-based-on",
        "The referral the task fulfils, as ServiceRequest/{id}",
        "referral",
        lambda v: Q(pk=reference("based-on", v, "ServiceRequest")),
    )


def accepted(params: Sequence[SearchParam]) -> dict[str, SearchParam]:
    """Every name a search here may use: the parameters declared and the chains through them."""
    return {p.name: p for param in params for p in (param, *param.chained)}


def criteria(resource: str, params: Sequence[SearchParam], query: QueryDict) -> Asked:
    known = accepted(params)
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
    return Asked(resource, found, "+".join(sorted({known[name].kind for name in asked})))
