from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework import services
from openips.casework.forms import ContactForm
from openips.clients import queries
from openips.core.access import requires


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
