from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import filters, queries
from openips.clients.presenters import ClientRow
from openips.core.tables import list_state

PAGE_SIZE = 50


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form, services = filters.filters_for(request, user, filters.CLIENT_STAGES)
    state = list_state(request, filters.SORTS, "name", form.read())
    people = filters.people_listed(
        user,
        queries.people_with_latest_episode(user).select_related("service"),
        dict(state.filters),
        state.sort,
        state.descending,
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = queries.episodes_by_id(user, [p.latest_id for p in page.object_list])
    rows = [ClientRow(p, latest.get(p.latest_id)) for p in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "form": form,
        "state": state,
        "several_services": len(services) > 1,
        "refer_to": list(queries.referral_services(user)),
    }
    return render(request, "clients/list.jinja", context)
