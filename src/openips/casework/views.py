from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework import services
from openips.casework.caseload import caseload
from openips.casework.forms import ContactForm
from openips.clients import queries
from openips.core.access import requires
from openips.organisations.models import StaffMember


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    episode = queries.episode_for(user, pk)
    form = ContactForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.record_contact(user, episode, form.cleaned_data)
        messages.success(request, "Contact recorded.")
        return redirect("clients:record", episode.person_id)
    return render(request, "casework/contact_form.jinja", {"form": form, "episode": episode})


@requires(Capability.RECORD_CASEWORK)
@require_GET
def my_caseload(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    staff = StaffMember.objects.filter(user=user).first()
    rows, loads = caseload(user, timezone.localdate(), staff) if staff else ([], [])
    context = {"rows": rows, "loads": loads, "team": False, "has_staff": staff is not None}
    return render(request, "casework/caseload.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_GET
def team_caseload(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rows, loads = caseload(user, timezone.localdate())
    return render(
        request,
        "casework/caseload.jinja",
        {"rows": rows, "loads": loads, "team": True, "has_staff": True},
    )
