"""The stages of an episode, in the order of the journey: the one vocabulary the record, the
clients list and the caseloads use. A client employed at referral (job retention, ADR 0034) is
on a journey of their own once accepted: at risk, then back at work, in an adjusted role, or
left the job, as recorded in clients.RetentionChange."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import models

from openips.clients.codes import EmploymentStatus, RetentionStatus

if TYPE_CHECKING:
    from openips.clients.models import Episode


class Stage(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"  # accepted, vocational profile not started
    JOB_SEEKING = "job_seeking", "Job seeking"  # the profile started, no job open
    IN_WORK = "in_work", "In work"  # a job open, confirmed or not
    RETENTION_AT_RISK = "retention_at_risk", "Job retention: at risk"
    RETENTION_BACK_AT_WORK = "retention_back_at_work", "Job retention: back at work"
    RETENTION_ADJUSTED_ROLE = "retention_adjusted_role", "Job retention: in an adjusted role"
    RETENTION_LEFT = "retention_left", "Job retention: left the job"
    DISCHARGED = "discharged", "Discharged"


ORDER = list(Stage)
OPEN = [s for s in Stage if s != Stage.DISCHARGED]  # the stages a caseload shows
RETENTION_STAGES = {
    RetentionStatus.AT_RISK: Stage.RETENTION_AT_RISK,
    RetentionStatus.BACK_AT_WORK: Stage.RETENTION_BACK_AT_WORK,
    RetentionStatus.ADJUSTED_ROLE: Stage.RETENTION_ADJUSTED_ROLE,
    RetentionStatus.LEFT: Stage.RETENTION_LEFT,
}


def is_retention(episode: Episode) -> bool:
    return episode.employment_status_at_referral == EmploymentStatus.EMPLOYED


def retention_status(episode: Episode, latest: str | None) -> RetentionStatus | None:
    """The retention status of an episode given its latest recorded change's status (None when
    none is recorded: at risk from the referral date); None for a client not employed at
    referral."""
    if not is_retention(episode):
        return None
    return RetentionStatus(latest) if latest else RetentionStatus.AT_RISK


def status_on(changes: Iterable[tuple[date, str]], day: date) -> RetentionStatus:
    """The status on `day` from an employed-at-referral episode's changes (date, status), given
    in the order they were recorded: the last dated on or before the day, else at risk."""
    found = RetentionStatus.AT_RISK
    latest: date | None = None
    for when, status in changes:
        if when <= day and (latest is None or when >= latest):
            found, latest = RetentionStatus(status), when
    return found


def stage_of(episode: Episode, *, in_work: bool, retention: RetentionStatus | None = None) -> Stage:
    """`in_work`: whether the episode has a job that has not ended (the caller has its jobs).
    `retention`: the episode's retention status (`retention_status`), for an accepted client
    employed at referral, whose stage it is; a caller that leaves it out gets the job seeker's
    stages only."""
    if episode.discharge_date:
        return Stage.DISCHARGED
    if not episode.accepted_date:
        return Stage.REFERRED
    if retention is not None and is_retention(episode):
        return RETENTION_STAGES[retention]
    if in_work:
        return Stage.IN_WORK
    return Stage.JOB_SEEKING if episode.vocational_profile_date else Stage.ACCEPTED
