"""Pages that keep one record per person: correcting their details, and merging two records of
the same person (with its undo). ADR 0021."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import queries, services
from openips.clients.forms import MergeChoiceForm, PersonDetailsForm
from openips.clients.presenters import MergePresenter
from openips.core.editing import VersionForm, versioned_edit
from openips.core.services import EditConflict


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def change_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = queries.person_for(request.user, pk)
    back = reverse("record:person", args=[person.pk])
    return versioned_edit(
        request,
        person,
        PersonDetailsForm(request.POST or None, person=person),
        save=services.change_details,
        template="clients/change_details.jinja",
        context={"person": person, "back": back},
        done=("Personal details saved.", back),
        noun="record",
    )


@requires(Capability.RECORD_CASEWORK)
@require_POST
def stop_messages(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One button on the record: no more reminders or other messages to this person. The
    version is the one the record page showed, so a change made since is not overwritten."""
    person = queries.person_for(request.user, pk)
    version = VersionForm(request.POST)
    if not version.is_valid():
        messages.error(request, "Messages were not stopped: open the record again and retry.")
        return redirect("record:person", person.pk)
    try:
        services.stop_messages(request.user, person, started_from=version.cleaned_data["version"])
    except EditConflict:
        messages.error(
            request, "Someone changed this record just now. Check it, then stop messages again."
        )
    else:
        messages.success(request, "Messages stopped. They will get no more reminders.")
    return redirect("record:person", person.pk)


@requires(Capability.MERGE_RECORDS)
@require_http_methods(["GET", "POST"])
def merge_choose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    kept = queries.person_for(user, pk)
    form = MergeChoiceForm(
        request.POST or None, kept=kept, candidates=queries.mergeable_with(user, kept)
    )
    if request.method == "POST" and form.is_valid():
        return redirect("clients:merge_confirm", kept.pk, form.cleaned_data["client_id"].pk)
    return render(request, "clients/merge_choose.jinja", {"form": form, "person": kept})


@requires(Capability.MERGE_RECORDS)
@require_http_methods(["GET", "POST"])
def merge_confirm(request: AuthenticatedHttpRequest, pk: int, other: int) -> HttpResponse:
    user = request.user
    kept = queries.person_for(user, pk)
    duplicate = queries.mergeable_with(user, kept).filter(pk=other).first()
    if duplicate is None:
        raise Http404("No such client")
    queries.person_for(user, duplicate.pk)  # shown on this page, so on their trail
    problem = ""
    if request.method == "POST":
        try:
            services.merge(user, kept, duplicate)
        except services.MergeRefused as refused:
            problem = str(refused)
        else:
            messages.success(
                request,
                f"Client {duplicate.client_id} merged into this record. "
                f"You can undo this for {services.UNDO_DAYS} days.",
            )
            return redirect("record:person", kept.pk)
    context = {"pair": MergePresenter(kept, duplicate), "problem": problem}
    return render(request, "clients/merge_confirm.jinja", context)


@requires(Capability.MERGE_RECORDS)
@require_POST
def merge_undo(request: AuthenticatedHttpRequest, pk: int, merge: int) -> HttpResponse:
    user = request.user
    kept = queries.person_for(user, pk)
    merged = kept.merges.filter(pk=merge).first()
    if merged is None:
        raise Http404("No such merge")
    try:
        services.undo_merge(user, merged)
    except services.MergeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Merge undone: the episodes are back on the other record.")
    return redirect("record:person", kept.pk)
