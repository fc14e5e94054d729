"""Views, APIs and the helpers they read records through read personal data only through
scoped paths: `visible_to(user)` or an access helper in a queries module, which 404s out of
scope. Any other read of a personal-data model in those modules fails here unless ALLOWED says
why it is safe. Which models and modules are checked is derived: see tests/scoped_reads.py."""

from __future__ import annotations

import pytest

from tests.scoped_reads import (
    offences,
    offences_in,
    page_flow_modules,
    personal_models,
    request_modules,
)

_GOVERNANCE = "the IG lead's own organisation: services_for, or people and accounts of it"
_RIGHTS = "subject access and anonymisation of a person found through person_in_scope"
_ESTIMATES = (
    "one service's records, the service found through services_with_client_access(user), "
    "the very set visible_to filters by"
)
_EXPORT = "a whole-service export, the service found through services_with_client_access"
_IMPORT = (
    "an import into a service found through services_with_client_access: matched against the "
    "service's records and the organisation's client ids and NHS numbers (ADR 0021)"
)
_NETWORK = "counts per service of services_in_view(user), small numbers hidden; no record shown"
_MHSDS = (
    "an MHSDS extract of one service, the service found through services_with_client_access "
    "(or named on the command line)"
)
_CASELOAD = "jobs and contacts of the episodes open_episodes read through visible_to"
_MERGES = "records fetched through person_for: a merge, its undo, and the locks they take"

# (module under src/openips, model or dynamic manager): why the read is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("accounts/oidc.py", "User"): "sign-in: the account a verified claim names; no user yet",
    ("accounts/services.py", "User"): "locks the account of a grant an administrator decides",
    ("accounts/throttle.py", "AuditEvent"): "counts failed sign-ins from an address; no person",
    ("accounts/views.py", "User"): "the users pages: administrators (MANAGE_USERS) only",
    ("audit/services.py", "EarlierValue"): "anonymisation deletes a person's; reads none",
    ("casework/caseload.py", "Contact"): _CASELOAD,
    ("casework/caseload.py", "Job"): _CASELOAD,
    ("casework/week.py", "Contact"): "the signed-in user's own contacts this week",
    ("clients/queries.py", "Person"): "only where a merged record went; read via visible_to",
    ("clients/queries.py", "RetentionChange"): (
        "a correlated subquery: the latest change in work of the row of an outer, scoped query"
    ),
    ("clients/search.py", "SearchKey"): "index keys; the scoped people queryset decides who",
    ("clients/services.py", "Person"): (
        "a referral's duplicate check in the referrer's own service, and the organisation's "
        f"one holder of an NHS number (ADR 0021); and {_MERGES}"
    ),
    ("clients/services.py", "Episode"): f"{_MERGES}; the service's episode ids, to number one",
    ("clients/services.py", "PersonMerge"): _MERGES,
    ("clients/services.py", "HospitalStay"): f"{_MERGES}: the stays move with the episodes",
    ("core/services.py", "type(obj)"): "locks the record being saved, fetched by a scoped read",
    ("fhir/queries.py", "InboundReferral"): "the senders' identifiers of episodes read in scope",
    ("fhir/services.py", "Episode"): (
        "a FHIR referral's duplicate check: an open episode with the referrer's own service"
    ),
    ("fhir/services.py", "InboundReferral"): (
        "a referral sent again, by its sender's identifier: answered only if its episode is "
        "visible_to the caller (else a 409 that names nothing)"
    ),
    ("fidelity/estimates.py", "Contact"): _ESTIMATES,
    ("fidelity/estimates.py", "Episode"): _ESTIMATES,
    ("fidelity/estimates.py", "Job"): _ESTIMATES,
    ("fidelity/forms.py", "User"): "possible reviewers: fidelity reviewers, services' leaders",
    ("fidelity/queries.py", "Episode"): "counts for a review found through reviews_visible_to",
    ("governance/queries.py", "Person"): _GOVERNANCE,
    ("governance/queries.py", "User"): _GOVERNANCE,
    ("governance/queries.py", "AuditEvent"): f"{_GOVERNANCE}, or about a person in it",
    ("governance/queries.py", "EarlierValue"): "beside events already read in scope",
    ("governance/queries.py", "model"): "deletion reasons of records events in scope name",
    ("governance/rights.py", "Appointment"): _RIGHTS,
    ("governance/rights.py", "Contact"): _RIGHTS,
    ("governance/rights.py", "Episode"): _RIGHTS,
    ("governance/rights.py", "EmploymentRecord"): _RIGHTS,
    ("governance/rights.py", "Estimate"): _RIGHTS,
    ("governance/rights.py", "Handover"): _RIGHTS,
    ("governance/rights.py", "HospitalStay"): f"{_RIGHTS}, and of the records merged into theirs",
    ("governance/rights.py", "Intervention"): _RIGHTS,
    ("governance/rights.py", "Job"): _RIGHTS,
    ("governance/rights.py", "MeasureScore"): _RIGHTS,
    ("governance/rights.py", "Message"): f"{_RIGHTS}, and to the records merged into theirs",
    ("governance/rights.py", "Person"): f"{_RIGHTS}: the records merged into theirs",
    ("governance/rights.py", "RetentionChange"): _RIGHTS,
    ("governance/rights.py", "VocationalProfile"): _RIGHTS,
    ("interchange/exporter.py", "Contact"): _EXPORT,
    ("mhsds/reconcile.py", "Episode"): _MHSDS,
    ("mhsds/sources.py", "Contact"): _MHSDS,
    ("mhsds/sources.py", "Episode"): _MHSDS,
    ("mhsds/sources.py", "Job"): _MHSDS,
    ("mhsds/sources.py", "JobChange"): _MHSDS,
    ("mhsds/sources.py", "Person"): _MHSDS,
    ("interchange/exporter.py", "Episode"): _EXPORT,
    ("interchange/exporter.py", "Job"): _EXPORT,
    ("interchange/exporter.py", "HospitalStay"): _EXPORT,
    ("interchange/exporter.py", "MeasureScore"): _EXPORT,
    ("interchange/importer.py", "Episode"): _IMPORT,
    ("interchange/importer.py", "Person"): _IMPORT,
    ("interchange/importer.py", "model"): _IMPORT,
    ("interchange/records.py", "model"): "whether an id is taken in the API caller's service",
    ("interchange/records.py", "Person"): (
        "the people of the episodes the API caller may see, which a stay may name"
    ),
    ("interchange/uploads.py", "ImportJob"): (
        "a job the view found in the user's services, moved on by its id; and the discarding "
        "of stale jobs, which shows nothing"
    ),
    ("interchange/views.py", "ImportJob"): "imports of services_with_client_access(user)",
    ("messaging/receipts.py", "Message"): (
        "GOV.UK Notify's receipt names its own notification: no user, the callback's bearer "
        "token checked first, and nothing about the message is answered back"
    ),
    ("outcomes/network.py", "Contact"): _NETWORK,
    ("outcomes/network.py", "Episode"): _NETWORK,
    ("outcomes/network.py", "Job"): _NETWORK,
    ("outcomes/returns.py", "Episode"): "returns over the caller's services; hidden small counts",
    ("outcomes/queries.py", "Episode"): (
        "the network's episodes for a commissioner's figures, small numbers withheld; no record"
    ),
    ("research/forms.py", "User"): "the active accounts an administrator may name on a study",
    ("outcomes/savings.py", "Estimate"): "the estimates of episodes the caller has scoped",
    ("outcomes/savings.py", "Job"): "the job starts of episodes the caller has scoped",
    ("record/queries.py", "VocationalProfile"): "profiles of episodes read through visible_to",
    ("record/queries.py", "PersonMerge"): "merges into a person read through person_for",
}


def _checked() -> set[str]:
    return set(request_modules() | page_flow_modules())


def test_the_personal_data_models_are_derived_from_the_registry() -> None:
    found = set(personal_models())
    assert {"Person", "Episode", "PersonMerge", "Handover", "SearchKey"} <= found
    assert {"Contact", "VocationalProfile", "Intervention", "Job", "JobChange"} <= found
    assert {"Estimate", "AuditEvent", "EarlierValue", "ImportJob", "User"} <= found
    # Only what points at a person: not what a person's records point at, nor who recorded it.
    assert not {"Service", "Organisation", "Employer", "StaffMember", "ApiToken"} & found


def test_the_checked_modules_are_derived_and_include_the_known_ones() -> None:
    requests, flow = request_modules(), page_flow_modules()
    assert {
        "clients/views.py",
        "clients/identity_views.py",
        "casework/employer_views.py",
        "outcomes/return_views.py",
        "governance/access_grants.py",
        "api/writes.py",
        "api/episodes.py",
        "api/base.py",
        "accounts/sso_views.py",
        "accounts/middleware.py",
        "accounts/oidc.py",
        "core/context_processors.py",
    } <= requests
    assert {
        "clients/queries.py",
        "casework/queries.py",
        "employment/queries.py",
        "record/queries.py",
        "casework/caseload.py",
        "clients/search.py",
        "governance/rights.py",
        "fidelity/estimates.py",
    } <= flow
    assert not {"clients/models.py", "demo/journeys.py"} & (requests | flow)


def test_the_check_catches_an_unscoped_read() -> None:
    assert [o.model for o in offences("people = Person.objects.filter(service=s)")] == ["Person"]
    assert offences("people = Person.objects.visible_to(user).filter(service=s)") == []
    assert offences("Contact.with_deleted.visible_to(user)\nEpisode.objects.none()") == []
    assert offences("Service.objects.all()\nPerson.DoesNotExist") == []


def test_the_check_catches_a_read_over_several_lines() -> None:
    source = "contacts = (\n    Contact.objects\n    .filter(episode=e)\n    .order_by('date')\n)\n"
    [found] = offences(source, "casework/views.py")
    assert (found.module, found.model, found.line) == ("casework/views.py", "Contact", 2)


@pytest.mark.parametrize(
    ("source", "model"),
    [
        ("Contact.with_deleted.all()", "Contact"),
        ("Job._default_manager.get(pk=pk)", "Job"),
        ("people = Person.objects", "Person"),
        ("get_object_or_404(Episode, pk=pk)", "Episode"),
        ("shortcuts.get_list_or_404(klass=Estimate)", "Estimate"),
        ("from openips.clients.models import Person as P\nP.objects.get(pk=1)", "Person"),
        ("models.Episode.objects.all()", "Episode"),
        ("model._base_manager.filter(pk=pk)", "model"),
    ],
)
def test_the_check_catches_every_way_round_the_scope(source: str, model: str) -> None:
    assert [o.model for o in offences(source)] == [model]


def test_views_and_apis_read_personal_data_only_through_scoped_paths() -> None:
    found = [o for o in offences_in(_checked()) if (o.module, o.model) not in ALLOWED]
    assert not found, (
        "Read personal data through visible_to(user) or a queries.py helper, or add the read to "
        "ALLOWED with the reason it is safe:\n" + "\n".join(map(str, found))
    )


def test_every_allowed_read_still_happens_and_says_why() -> None:
    happening = {(o.module, o.model) for o in offences_in(_checked())}
    stale = sorted(set(ALLOWED) - happening)
    assert not stale, f"Remove the allowed reads that no longer happen: {stale}"
    assert all(reason.strip() for reason in ALLOWED.values())
