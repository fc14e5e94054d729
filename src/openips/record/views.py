from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import queries as clients
from openips.record.presenters import ClientRecordPresenter
from openips.record.queries import record_parts


@requires(Capability.VIEW_CLIENTS)
@require_GET
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        person = clients.person_for(user, pk)
    except Http404:
        kept = clients.merged_into(user, pk)  # a merged record's old address
        if kept is None:
            raise
        messages.info(request, f"That record was merged into client {kept.client_id}'s record.")
        return redirect("record:person", kept.pk)
    parts = record_parts(user, person)
    presenter = ClientRecordPresenter(
        person,
        parts.episodes,
        user,
        parts.contacts,
        parts.jobs,
        parts.merges,
        profiles=parts.profiles,
        prompts=parts.prompts,
        whole_timeline=request.GET.get("timeline") == "all",
        appointments=parts.appointments,
        messages=parts.messages,
        programmes=parts.programmes,
        stays=parts.stays,
    )
    return render(request, "record/person.jinja", {"client": presenter})
