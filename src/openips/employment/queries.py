from __future__ import annotations

from django.http import Http404

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients.models import Episode
from openips.employment.codes import Moment
from openips.employment.models import EmploymentRecord, Job


def job_for(user: User, pk: int) -> Job:
    job = (
        Job.objects.visible_to(user)
        .select_related("episode__person", "employer")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404("No such job")
    record(AuditAction.VIEW, actor=user, obj=job)  # opening a job opens its person's record
    return job


def employment_record(user: User, episode: Episode, moment: Moment) -> EmploymentRecord | None:
    """The episode's record of the moment, if made; the episode was opened (and its viewing
    audited) through clients.queries.episode_for."""
    return EmploymentRecord.objects.visible_to(user).filter(episode=episode, moment=moment).first()
