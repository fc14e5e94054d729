"""The people search page, which the header's search box opens (ADR 0019)."""

from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability, Role
from openips.audit.models import AuditAction
from openips.audit.services import record, record_views
from openips.clients import queries, search
from openips.clients.presenters import ClientRow

if TYPE_CHECKING:
    from openips.clients.queries import PersonWithLatest

SHOWN = 50


@requires(Capability.VIEW_CLIENTS)
@require_GET
def search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    text = request.GET.get("q", "")[: search.MAX_LENGTH]
    summary_only = user.role == Role.CLINICIAN  # what a clinician's summary leaves out stays out
    context: dict[str, object] = {"q": text, "summary_only": summary_only, "rows": None}
    query = search.parse(text)
    if query.kind != search.QueryKind.NOTHING:
        services = search.searchable_services(user)
        people_found = search.matching(
            queries.people_with_latest_episode(user), services, query, by_birth=not summary_only
        )
        # `matching` only filters the people it is given: they keep their latest episode's id.
        found = cast("QuerySet[PersonWithLatest]", people_found).select_related("service")
        people = list(found[: SHOWN + 1])
        shown, more = people[:SHOWN], len(people) > SHOWN
        latest = queries.episodes_by_id(user, [p.latest_id for p in shown])
        record(
            AuditAction.SEARCH,
            actor=user,
            details={"kind": query.kind, "results": len(shown), "more": more},
        )
        if not summary_only:  # the rows show NHS numbers and dates of birth: each is a view
            record_views(user, shown)
        context |= {
            "rows": [ClientRow(p, latest.get(p.latest_id)) for p in shown],
            "more": more,
            "several_services": services.count() > 1,
        }
    return render(request, "clients/search.jinja", context)
