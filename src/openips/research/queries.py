"""The studies a user may manage or take: an extract is reachable only through an access in
force for that person and study; to anyone else the study does not exist (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from openips.accounts.models import User
from openips.research.models import Study, StudyAccess


def studies() -> QuerySet[Study]:
    return Study.objects.prefetch_related("services").order_by("name", "pk")


def study(pk: int) -> Study:
    found = studies().filter(pk=pk).first()
    if found is None:
        raise Http404("No such study")
    return found


def accesses(found: Study) -> list[StudyAccess]:
    return list(found.accesses.select_related("user", "granted_by", "revoked_by"))


def access_for(found: Study, pk: int) -> StudyAccess:
    access = found.accesses.filter(pk=pk).first()
    if access is None:
        raise Http404("No such access")
    return access


def studies_of(user: User) -> QuerySet[Study]:
    """The studies whose extract the user may take today."""
    ids = StudyAccess.objects.in_force(timezone.localdate()).filter(user=user).values("study_id")
    return studies().filter(pk__in=ids)


def taken_by(user: User, pk: int) -> Study:
    found = studies_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such study")
    return found
