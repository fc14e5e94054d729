from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from nhs_number import standardise_format

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.audit import queries
from openips.audit.forms import AuditSearchForm
from openips.audit.models import AuditAction, AuditEvent
from openips.audit.presenters import EventRow
from openips.audit.services import record
from openips.core.access import requires

PAGE_SIZE = 50


@requires(Capability.VIEW_AUDIT)
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AuditSearchForm(request.GET or None)
    people, accounts = None, None
    if form.is_valid():
        if term := form.cleaned_data["person"].strip():
            digits = standardise_format(term) or term
            people = list(
                queries.people_for(user).filter(Q(nhs_number=digits) | Q(client_id=term))[:20]
            )
        if name := form.cleaned_data["username"].strip():
            accounts = list(queries.accounts_for(user).filter(username__icontains=name)[:20])
    context = {"form": form, "people": people, "accounts": accounts}
    return render(request, "audit/search.jinja", context)


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> dict[str, object]:
    page = Paginator(events.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "rows": [EventRow(e) for e in page.object_list]}


@requires(Capability.VIEW_AUDIT)
@require_GET
def person_trail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = queries.person_in_scope(user, pk)
    record(AuditAction.VIEW_AUDIT, actor=user, obj=person)
    context = {"person": person, **_page(request, AuditEvent.objects.about_person(person.pk))}
    return render(request, "audit/person_trail.jinja", context)


@requires(Capability.VIEW_AUDIT)
@require_GET
def user_trail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    account = queries.account_in_scope(user, pk)
    record(AuditAction.VIEW_AUDIT, actor=user, obj=account)
    context = {"account": account, **_page(request, AuditEvent.objects.filter(actor=account))}
    return render(request, "audit/user_trail.jinja", context)
