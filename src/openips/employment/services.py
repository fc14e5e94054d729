"""Writes to employers and jobs. Each is audited; job edits carry the version they began from."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openips.accounts.models import User
from openips.clients.models import Episode
from openips.core import services as core
from openips.employment.models import Employer, Job, JobChange, JobLead
from openips.organisations.models import Service


def start_job(actor: User, episode: Episode, data: dict[str, Any]) -> Job:
    job = Job(
        service=episode.service, episode=episode, job_id=f"J{uuid.uuid4().hex[:10].upper()}", **data
    )
    return core.create(actor, job)


def end_job(actor: User, job: Job, *, started_from: int, end_date: date, end_reason: str) -> Job:
    job.end_date = end_date
    job.end_reason = end_reason
    return core.update(actor, job, started_from=started_from)


def add_employer(actor: User, service: Service, employer: Employer) -> Employer:
    employer.service = service
    employer.employer_id = f"E{uuid.uuid4().hex[:8].upper()}"
    return core.create(actor, employer)


@transaction.atomic
def change_job(
    actor: User,
    job: Job,
    *,
    started_from: int,
    effective_date: date,
    start_confirmed: bool,
    hours_per_week: Any,
    hourly_pay: Any,
) -> Job:
    """Hours, pay or the 4-hour confirmation change from a date; the history is kept."""
    job.start_confirmed = start_confirmed
    job.hours_per_week = hours_per_week
    job.hourly_pay = hourly_pay
    core.update(actor, job, started_from=started_from)
    core.create(
        actor,
        JobChange(
            job=job,
            effective_date=effective_date,
            start_confirmed=start_confirmed,
            hours_per_week=hours_per_week,
            hourly_pay=hourly_pay,
        ),
    )
    return job


def add_lead(actor: User, employer: Employer, lead: JobLead) -> JobLead:
    lead.employer = employer
    lead.added_on = timezone.localdate()
    return core.create(actor, lead)
