from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients.models import Episode, Person
from openips.clients.presenters import ClientRecordPresenter, ClientRow
from openips.clients.queries import person_for
from openips.core.access import requires

PAGE_SIZE = 50


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    visible = Episode.objects.visible_to(user)
    latest_id = (
        visible.filter(person=OuterRef("pk")).order_by("-referral_date", "-pk").values("pk")[:1]
    )
    people = Person.objects.visible_to(user).annotate(latest_id=Subquery(latest_id))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = Episode.objects.select_related("employment_specialist").in_bulk(
        [p.latest_id for p in page.object_list]
    )
    rows = [ClientRow(p, latest.get(p.latest_id)) for p in page.object_list]
    return render(request, "clients/list.jinja", {"rows": rows, "page": page})


@requires(Capability.VIEW_CLIENTS)
@require_GET
def client_record(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = person_for(user, pk)
    episodes = list(
        Episode.objects.visible_to(user)
        .filter(person=person)
        .select_related("employment_specialist", "clinical_team")
    )
    record(AuditAction.VIEW, actor=user, obj=person)
    presenter = ClientRecordPresenter(person, episodes, user)
    return render(request, "clients/record.jinja", {"client": presenter})
