"""The better-off-in-work estimate in the client record: work it out, save it as a benefits
counselling session, open it again to print for the client."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.benefits import calculator, services
from openips.benefits.forms import ScenarioForm, SessionForm, years_old
from openips.benefits.models import Estimate
from openips.benefits.presenters import EstimatePresenter
from openips.benefits.rates import RatesError, all_years, rates_for
from openips.clients import queries


def work_out(form: ScenarioForm) -> EstimatePresenter | None:
    """The comparison for a valid form, or None with the refusal added to the form."""
    try:
        rates = rates_for(form.cleaned_data["tax_year"])
        comparison = calculator.compare(
            rates, form.as_household(), form.as_work_now(), form.as_work_in_work()
        )
    except RatesError as refusal:
        form.add_error("tax_year", str(refusal))
        return None
    return EstimatePresenter(comparison)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def estimate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = queries.episode_for(user, pk)
    today = timezone.localdate()
    data = request.POST or None
    age = years_old(episode.person.date_of_birth, today)
    form = ScenarioForm(data, today=today, initial={"claimant_age": age} if age else None)
    saving = request.method == "POST" and "save" in request.POST
    session = SessionForm(data if saving else None, episode=episode, initial={"date": today})
    result = work_out(form) if form.is_valid() else None
    if result is not None and saving and session.is_valid():
        saved = services.save_estimate(
            user, episode, result.comparison, form.scenario(), session.cleaned_data
        )
        messages.success(request, "Benefits counselling session saved with the estimate.")
        return redirect("benefits:saved", saved.pk)
    context = {
        "form": form,
        "session": session,
        "episode": episode,
        "result": result,
        "unconfirmed": {y: r.unconfirmed() for y, r in sorted(all_years().items())},
        "error_forms": [form, session],
    }
    return render(request, "benefits/estimate.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_GET
def saved(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = get_object_or_404(
        Estimate.objects.visible_to(user).select_related(
            "contact__staff", "episode__person", "created_by"
        ),
        pk=pk,
    )
    form = ScenarioForm(found.scenario, today=found.contact.date)
    result = work_out(form) if form.is_valid() else None
    changed = result is not None and (
        result.now.total != found.income_now or result.in_work.total != found.income_in_work
    )
    record(AuditAction.VIEW, actor=user, obj=found)
    context = {"estimate": found, "result": result, "changed": changed, "form": form}
    return render(request, "benefits/saved.jinja", context)
