from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.queries import services_in_view
from openips.accounts.roles import Capability
from openips.core.access import requires
from openips.organisations.models import StaffRole


@requires(Capability.VIEW_SERVICES)
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    services = services_in_view(request.user).annotate(  # type: ignore[arg-type]
        specialists=Count(
            "staff",
            filter=Q(staff__role=StaffRole.EMPLOYMENT_SPECIALIST, staff__end_date__isnull=True),
        ),
        teams=Count("clinical_teams", distinct=True),
    )
    # A service manager's services in view are exactly those whose records they may move.
    moves_data = request.user.can(Capability.MOVE_SERVICE_DATA)  # type: ignore[union-attr]
    return render(
        request, "organisations/services.jinja", {"services": services, "moves_data": moves_data}
    )
