from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.audit.models import AuditAction, AuditEvent
from openips.audit.services import Detail, record
from openips.clients import search as people_search
from openips.governance import queries, rights
from openips.governance.forms import AuditSearchForm
from openips.governance.presenters import EventRow
from openips.governance.subject_access import SubjectAccessPage

PAGE_SIZE = 50
SHOWN = 20  # people found by a search


@requires(Capability.VIEW_AUDIT)
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AuditSearchForm(request.GET or None)
    people, accounts = None, None
    if form.is_valid():
        if term := form.cleaned_data["person"].strip():
            query = people_search.parse(term)  # the clients' own search (ADR 0019)
            found = people_search.matching(
                queries.people_for(user), queries.services_for(user), query
            )
            people = list(found[:SHOWN])
            details: dict[str, Detail] = {"kind": query.kind, "results": len(people)}
            record(AuditAction.SEARCH, actor=user, details=details)
        if name := form.cleaned_data["username"].strip():
            accounts = list(queries.accounts_for(user).filter(username__icontains=name)[:20])
    context = {"form": form, "people": people, "accounts": accounts}
    return render(request, "governance/search.jinja", context)


def _page(request: AuthenticatedHttpRequest, events: QuerySet[AuditEvent]) -> dict[str, object]:
    user = request.user
    page = Paginator(events.select_related("actor__staff_member"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    people = queries.client_ids(user, shown)
    earlier = queries.earlier_values(shown)
    deletions = queries.deletion_reasons(shown)
    rows = [
        EventRow(e, people.get(e.person_id or 0), earlier.get(e.pk, []), deletions.get(e.pk, ""))
        for e in shown
    ]
    return {"page": page, "rows": rows}


@requires(Capability.VIEW_AUDIT)
@require_GET
def person_trail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.person_in_scope(user, pk)
    record(AuditAction.VIEW_AUDIT, actor=user, obj=person)
    context = {"person": person, **_page(request, queries.events_about(person))}
    return render(request, "governance/person_trail.jinja", context)


@requires(Capability.VIEW_AUDIT)
@require_GET
def user_trail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    account = queries.account_in_scope(user, pk)
    record(AuditAction.VIEW_AUDIT, actor=user, obj=account)
    events = queries.events_for(user).filter(actor=account)
    context = {"account": account, **_page(request, events)}
    return render(request, "governance/user_trail.jinja", context)


@requires(Capability.DATA_SUBJECT_RIGHTS)
@require_GET
def subject_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.person_in_scope(user, pk)
    held = rights.subject_access(user, person)
    if request.GET.get("format") == "json":
        response = JsonResponse(rights.bundle(held), json_dumps_params={"indent": 2})
        name = f"subject-access-{person.client_id}.json"
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
        return response
    context = {
        "person": person,
        "held": SubjectAccessPage(held, timezone.localdate()),
        "retention_ends": rights.retention_ends(person),
        "today": timezone.localdate(),
    }
    return render(request, "governance/subject_access.jinja", context)


@requires(Capability.DATA_SUBJECT_RIGHTS)
@require_POST
def anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.person_in_scope(user, pk)
    try:
        rights.anonymise(user, person, timezone.localdate())
    except rights.RetentionNotOver:
        messages.error(
            request, "This person cannot be anonymised yet: the retention period has not ended."
        )
    else:
        messages.success(request, f"Anonymised. The records are kept as {person.client_id}.")
    return redirect("governance:subject_access", person.pk)
