"""Research studies: the administrator sets one up and names who may take its extract; that
person takes it, or is told which small groups stop it (docs/research.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.queries import services_in_view
from openips.accounts.roles import Capability
from openips.research import queries, services
from openips.research.forms import AccessForm, StudyForm


@requires(Capability.MANAGE_STUDIES)
@require_GET
def studies(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "research/studies.jinja", {"studies": queries.studies()})


@requires(Capability.MANAGE_STUDIES)
@require_http_methods(["GET", "POST"])
def study_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None, services=services_in_view(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        study = services.create_study(request.user, form.chosen_services(), **form.study_fields())
        messages.success(request, f"Study {study.name} set up. Now name who may take its extract.")
        return redirect("research:study", study.pk)
    return render(request, "research/study_form.jinja", {"form": form})


@requires(Capability.MANAGE_STUDIES)
@require_http_methods(["GET", "POST"])
def study(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The study, who may take its extract, and a form to name someone."""
    found = queries.study(pk)
    form = AccessForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.grant(request.user, found, d["user"], d["starts"], d["ends"])
        messages.success(request, f"{d['user'].get_full_name()} may take the extract.")
        return redirect("research:study", found.pk)
    context = {"study": found, "accesses": queries.accesses(found), "form": form}
    return render(request, "research/study.jinja", context)


@requires(Capability.MANAGE_STUDIES)
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int, access: int) -> HttpResponse:
    found = queries.study(pk)
    services.revoke(request.user, queries.access_for(found, access))
    messages.success(request, "Access withdrawn.")
    return redirect("research:study", found.pk)


@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The studies whose extract the signed-in person may take today (none: an empty list)."""
    return render(request, "research/mine.jinja", {"studies": queries.studies_of(request.user)})


@require_http_methods(["GET", "POST"])
def extract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What the extract holds; asked for, the zip, or the small groups that stop it."""
    found = queries.taken_by(request.user, pk)  # 404 without an access in force
    refused: list[str] = []
    if request.method == "POST":
        taken, archive = services.take(request.user, found)
        if archive is not None:
            response = HttpResponse(archive, content_type="application/zip")
            name = f"study-{found.pk}-{timezone.localdate():%Y-%m-%d}.zip"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        refused = taken.small
    return render(request, "research/extract.jinja", {"study": found, "refused": refused})
