from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.models import Contact
from openips.clients import queries
from openips.clients.models import Episode
from openips.clients.presenters import ClientRecordPresenter, ClientRow
from openips.core.access import requires
from openips.employment.models import Job

PAGE_SIZE = 50


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(queries.people_with_latest_episode(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    latest = queries.episodes_by_id(user, [p.latest_id for p in page.object_list])
    rows = [ClientRow(p, latest.get(p.latest_id)) for p in page.object_list]
    return render(request, "clients/list.jinja", {"rows": rows, "page": page})


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_record(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = queries.person_for(user, pk)
    episodes = list(
        Episode.objects.visible_to(user)
        .filter(person=person)
        .select_related("employment_specialist", "clinical_team")
        .prefetch_related("interventions", "handovers__from_staff", "handovers__to_staff")
        .prefetch_related("handovers__by")
    )
    contacts = list(
        Contact.objects.visible_to(user)
        .filter(episode__in=episodes)
        .select_related("staff", "employer", "benefit_estimate")
        .order_by("-date", "-pk")
    )
    jobs = list(
        Job.objects.visible_to(user).filter(episode__in=episodes).select_related("employer")
    )
    presenter = ClientRecordPresenter(person, episodes, user, contacts, jobs)
    return render(request, "clients/record.jinja", {"client": presenter})
