from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.caseload import prompts_for_person
from openips.casework.models import Contact, VocationalProfile
from openips.clients import filters, queries
from openips.clients.models import Episode, PersonMerge
from openips.clients.presenters import ClientRecordPresenter, ClientRow
from openips.clients.services import UNDO_DAYS
from openips.core.access import requires
from openips.core.tables import list_state
from openips.employment.models import Job

PAGE_SIZE = 50


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, services = filters.filters_for(request, user, filters.CLIENT_STAGES)
    state = list_state(request, filters.SORTS, "name", form.read())
    people = filters.people_listed(
        user,
        queries.people_with_latest_episode(user).select_related("service"),
        dict(state.filters),
        state.sort,
        state.descending,
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = queries.episodes_by_id(user, [p.latest_id for p in page.object_list])
    rows = [ClientRow(p, latest.get(p.latest_id)) for p in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "form": form,
        "state": state,
        "several_services": len(services) > 1,
        "refer_to": list(queries.referral_services(user)),
    }
    return render(request, "clients/list.jinja", context)


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_record(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        person = queries.person_for(user, pk)
    except Http404:
        kept = queries.merged_into(user, pk)  # a merged record's old address
        if kept is None:
            raise
        messages.info(request, f"That record was merged into client {kept.client_id}'s record.")
        return redirect("clients:record", kept.pk)
    episodes = list(
        Episode.objects.visible_to(user)
        .filter(person=person)
        .select_related("employment_specialist", "clinical_team")
        .prefetch_related("interventions", "handovers__from_staff", "handovers__to_staff")
        .prefetch_related("handovers__by")
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
    since = timezone.now() - timedelta(days=UNDO_DAYS)
    merges = (
        list(
            PersonMerge.objects.filter(kept=person, undone_at=None, merged_at__gte=since)
            .select_related("duplicate")
            .order_by("-merged_at")
        )
        if user.can(Capability.MERGE_RECORDS)
        else []
    )
    can_record = user.can(Capability.RECORD_CASEWORK)
    prompts = prompts_for_person(user, person.pk, timezone.localdate()) if can_record else {}
    presenter = ClientRecordPresenter(
        person,
        episodes,
        user,
        contacts,
        jobs,
        merges,
        profiles=profiles,
        prompts=prompts,
        whole_timeline=request.GET.get("timeline") == "all",
    )
    return render(request, "clients/record.jinja", {"client": presenter})
