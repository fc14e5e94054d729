"""The employers the team works with: job development, where contacts with employers, their job
leads and the jobs clients hold there meet."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.casework import queries
from openips.casework.models import Contact
from openips.employment import services as employment
from openips.employment.forms import EmployerForm, JobLeadForm
from openips.employment.models import Employer


@requires(Capability.VIEW_EMPLOYERS)
@require_GET
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    employers = queries.employers_for(request.user)
    return render(request, "casework/employers.jinja", {"employers": employers})


@requires(Capability.VIEW_EMPLOYERS)
@require_GET
def employer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = queries.employer_for(user, pk)
    lead_form = JobLeadForm() if user.can(Capability.RECORD_CASEWORK) else None
    return _employer_page(request, employer, lead_form)


def _employer_page(
    request: AuthenticatedHttpRequest, employer: Employer, lead_form: JobLeadForm | None
) -> HttpResponse:
    contacts = (
        Contact.objects.visible_to(request.user)
        .filter(employer=employer)
        .select_related("staff", "episode__person")
    )
    context = {
        "employer": employer,
        "contacts": contacts,
        "leads": employer.leads.all(),
        "lead_form": lead_form,
        "form": lead_form,
    }
    return render(request, "casework/employer.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["POST"])
def lead_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = queries.employer_for(user, pk)
    form = JobLeadForm(request.POST)
    if form.is_valid():
        employment.add_lead(user, employer, form.save(commit=False))
        messages.success(request, "Job lead added.")
        return redirect("casework:employer", employer.pk)
    return _employer_page(request, employer, form)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def employer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and user.service is not None:
        employer = employment.add_employer(user, user.service, form.save(commit=False))
        messages.success(request, f"{employer} added.")
        return redirect("casework:employer", employer.pk)
    return render(request, "casework/employer_form.jinja", {"form": form})
