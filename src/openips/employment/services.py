"""Writes to employers, jobs and Talking Therapies employment records. Each is audited; edits
carry the version they began from."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openips.accounts.models import User
from openips.clients.models import Episode
from openips.core import services as core
from openips.employment.codes import Moment
from openips.employment.models import Employer, EmploymentRecord, Job, JobChange, JobLead
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


class AlreadyRecorded(Exception):
    """Someone else saved this episode's record of the moment first."""


def record_employment(
    actor: User, episode: Episode, moment: Moment, data: dict[str, Any]
) -> EmploymentRecord:
    """The first record of an episode's assessment or discharge; AlreadyRecorded if there is one,
    whether it was there before or saved a moment ago by someone else."""
    record = EmploymentRecord(episode=episode, moment=moment, recorded_by=actor, **data)
    try:
        return core.create(actor, record)  # atomic: a refused insert leaves nothing behind
    except IntegrityError as clash:  # saved between the unique check and the insert
        raise AlreadyRecorded from clash
    except ValidationError as refused:
        if NON_FIELD_ERRORS in refused.error_dict:  # the unique check: all its rules are fields'
            raise AlreadyRecorded from refused
        raise


def correct_employment(
    actor: User, record: EmploymentRecord, *, started_from: int, **data: Any
) -> EmploymentRecord:
    for name, value in data.items():
        setattr(record, name, value)
    return core.update(actor, record, started_from=started_from)
