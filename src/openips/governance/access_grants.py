"""The IG lead's list of requests for access to their organisation's records (ADR 0015)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.presenters import GrantRow
from openips.accounts.queries import RECENT_GRANT_DAYS, grants_for_ig_lead
from openips.accounts.roles import Capability


@requires(Capability.VIEW_AUDIT)
@require_GET
def access_grants(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = [GrantRow(grant) for grant in grants_for_ig_lead(user)]
    context = {"rows": rows, "days": RECENT_GRANT_DAYS}
    return render(request, "governance/access_grants.jinja", context)
