from datetime import timedelta

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework import queries as casework_queries
from openips.casework import services, week
from openips.casework.caseload import SORT_KEYS, CaseloadRow, arrange, caseload
from openips.casework.forms import (
    ContactChangeForm,
    ContactDeleteForm,
    ContactForm,
    EmployerContactForm,
    InterventionForm,
    VocationalProfileForm,
)
from openips.casework.models import PROFILE_SECTIONS
from openips.clients import filters, queries
from openips.core import params
from openips.core.editing import versioned_edit
from openips.core.tables import list_state
from openips.organisations.models import StaffMember
from openips.organisations.queries import programmes_on


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = queries.episode_for(user, pk)
    form = ContactForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.record_contact(user, episode, form.cleaned_data)
        messages.success(request, "Contact recorded.")
        return redirect("record:person", episode.person_id)
    return render(request, "casework/contact_form.jinja", {"form": form, "episode": episode})


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def contact_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact, episode = casework_queries.contact_for(request.user, pk)
    back = reverse("record:person", args=[episode.person_id])
    return versioned_edit(
        request,
        contact,
        ContactChangeForm(request.POST or None, contact=contact, episode=episode),
        save=services.change_contact,
        template="casework/contact_change.jinja",
        context={"contact": contact, "episode": episode, "back": back},
        done=("Contact changed.", back),
        noun="contact",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def contact_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact, episode = casework_queries.contact_for(request.user, pk)
    back = reverse("record:person", args=[episode.person_id])
    return versioned_edit(
        request,
        contact,
        ContactDeleteForm(request.POST or None),
        save=services.delete_contact,
        template="casework/contact_delete.jinja",
        context={"contact": contact, "episode": episode, "back": back},
        done=("Contact deleted.", back),
        noun="contact",
    )


@requires(Capability.RECORD_CASEWORK)
@require_GET
def my_caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    staff = StaffMember.objects.filter(user=user).first()
    rows, loads = caseload(user, timezone.localdate(), staff) if staff else ([], [])
    context = {"loads": loads, "team": False, "has_staff": staff is not None}
    return _caseload_page(request, user, rows, context)


def _caseload_page(
    request: AuthenticatedHttpRequest,
    user: User,
    rows: list[CaseloadRow],
    context: dict[str, object],
) -> HttpResponse:
    """A caseload, filtered and sorted as the address asks."""
    stages = filters.CASELOAD_STAGES
    form, services = filters.filters_for(request, user, stages, by_specialist=bool(context["team"]))
    state = list_state(request, SORT_KEYS, "priority", form.read())
    shown = arrange(rows, dict(state.filters), stages, state.sort, state.descending)
    programmes = programmes_on(services, timezone.localdate())
    context |= {
        "rows": shown,
        "form": form,
        "state": state,
        "several_services": len(services) > 1,
        "any_open": bool(rows),
        # The prompts follow each service's programme: say which, as of today.
        "programmes": [(s, programmes[s.pk]) for s in services],
    }
    return render(request, "casework/caseload.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_GET
def team_caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows, loads = caseload(user, timezone.localdate())
    return _caseload_page(request, user, rows, {"loads": loads, "team": True, "has_staff": True})


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Each save is a new version of the profile; the version checked is the episode's."""
    episode = queries.episode_for(request.user, pk)
    versions = list(episode.profiles.select_related("recorded_by"))
    initial = model_to_dict(versions[0]) if versions else None
    back = reverse("record:person", args=[episode.person_id])
    return versioned_edit(
        request,
        episode,
        VocationalProfileForm(request.POST or None, initial=initial, episode=episode),
        save=services.save_profile,
        template="casework/profile.jinja",
        context={
            "episode": episode,
            "versions": versions,
            "back": back,
            "sections": PROFILE_SECTIONS,
        },
        done=("Vocational profile saved.", back),
        noun="episode",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def my_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    chosen = params.date_param(request, "week", timezone.localdate())
    monday, sunday = week.week_of(chosen)
    staff = StaffMember.objects.filter(user=user).first()
    form = EmployerContactForm(
        request.POST or None,
        service_id=user.service_id,
        initial={"employer": request.GET.get("employer"), "date": timezone.localdate()},
    )
    if request.method == "POST" and staff is not None and form.is_valid():
        services.record_employer_contact(user, form.cleaned_data)
        messages.success(request, "Employer contact recorded.")
        return redirect(f"{reverse('casework:my_week')}?week={form.cleaned_data['date']:%Y-%m-%d}")
    context = {
        "form": form if staff else None,
        "monday": monday,
        "sunday": sunday,
        "staff": staff,
        "contacts": week.my_contacts(staff, monday) if staff else [],
        "team": week.team_week(user.service_id, monday) if user.service_id else [],
        "target": week.EMPLOYER_CONTACT_TARGET,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }
    return render(request, "casework/my_week.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def intervention_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = queries.episode_for(user, pk)
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_intervention(user, episode, form.save(commit=False))
        messages.success(request, "Saved.")
        return redirect("record:person", episode.person_id)
    return render(request, "casework/intervention_form.jinja", {"form": form, "episode": episode})
