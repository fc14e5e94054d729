from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.caseload import prompts_for_person
from openips.casework.models import Contact, VocationalProfile
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
        .prefetch_related("interventions")
    )
    latest = (
        VocationalProfile.objects.filter(episode=OuterRef("episode"))
        .values("episode")
        .annotate(latest=Max("version"))
        .values("latest")
    )
    profiles = {
        p.episode_id: p
        for p in VocationalProfile.objects.filter(
            episode__in=episodes, version=Subquery(latest)
        ).select_related("recorded_by__staff_member")
    }
    contacts = list(
        Contact.objects.visible_to(user)
        .filter(episode__in=episodes)
        .select_related("staff", "employer", "benefit_estimate")
        .order_by("-date", "-pk")
    )
    jobs = list(
        Job.objects.visible_to(user).filter(episode__in=episodes).select_related("employer")
    )
    can_record = user.can(Capability.RECORD_CASEWORK)
    prompts = prompts_for_person(user, person.pk, timezone.localdate()) if can_record else {}
    presenter = ClientRecordPresenter(
        person,
        episodes,
        user,
        contacts,
        jobs,
        profiles=profiles,
        prompts=prompts,
        whole_timeline=request.GET.get("timeline") == "all",
    )
    return render(request, "clients/record.jinja", {"client": presenter})
