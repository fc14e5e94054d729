"""How an episode's stage reads as the status of each FHIR resource about it (docs/fhir.md).

The stage is the one vocabulary of the record and the caseloads (`clients.stages`): referred,
accepted, job seeking (the vocational profile started), in work, discharged; and, for a client
employed at referral once accepted, the job retention stages (at risk, back at work, in an
adjusted role, left the job: ADR 0034), work in progress like job seeking. A discharge before
acceptance is a referral that closed before the work began (the person declined, or could not
be reached): never one the team turned down, as IPS excludes no one who wants to work. After
acceptance it is the work done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openips.clients.models import Episode
from openips.clients.stages import RETENTION_STAGES, Stage, retention_status, stage_of


def service_request_status(episode: Episode) -> str:
    """active while referred or open; completed when discharged after acceptance; revoked when
    closed before it."""
    if episode.discharge_date is None:
        return "active"
    return "completed" if episode.accepted_date else "revoked"


@dataclass(frozen=True)
class TaskState:
    status: str
    since: date  # when the task reached this status: its lastModified
    reason: str = ""  # why it closed before acceptance: its statusReason
    stage: Stage = Stage.DISCHARGED  # its businessStatus


TASK_STATUS = {
    Stage.REFERRED: "requested",
    Stage.ACCEPTED: "accepted",
    Stage.JOB_SEEKING: "in-progress",  # work has started: the vocational profile
    Stage.IN_WORK: "in-progress",
    Stage.DISCHARGED: "completed",
} | dict.fromkeys(RETENTION_STAGES.values(), "in-progress")  # helping them keep their job


def stage(episode: Episode, *, in_work: bool) -> Stage:
    """The episode's stage as its record shows it. A retention client's stage comes from
    `latest_retention`, the status of their latest change in work (`fhir.queries.episodes`)."""
    latest = getattr(episode, "latest_retention", None)
    return stage_of(episode, in_work=in_work, retention=retention_status(episode, latest))


def retention_since(episode: Episode) -> date | None:
    """When a retention client's stage began: their latest change in work, else acceptance."""
    return getattr(episode, "latest_retention_date", None) or episode.accepted_date


def task_state(episode: Episode, *, in_work: bool) -> TaskState:
    """`in_work`: whether a job of the episode is open (`clients.queries.has_open_job`)."""
    now = stage(episode, in_work=in_work)
    if now == Stage.DISCHARGED and episode.accepted_date is None:
        reason = episode.get_discharge_reason_display() or "Closed before acceptance"
        # Cancelled, not rejected: R4's rejected is the performer declining to do the task.
        return TaskState("cancelled", episode.discharge_date or episode.referral_date, reason, now)
    since = {
        Stage.REFERRED: episode.referral_date,
        Stage.ACCEPTED: episode.accepted_date,
        Stage.JOB_SEEKING: episode.vocational_profile_date,
        Stage.IN_WORK: episode.vocational_profile_date or episode.accepted_date,
        Stage.DISCHARGED: episode.discharge_date,
    }.get(now) or (retention_since(episode) if now in RETENTION_STAGES.values() else None)
    return TaskState(TASK_STATUS[now], since or episode.referral_date, stage=now)


def episode_of_care_status(episode: Episode) -> str:
    """waitlist until accepted, active on the caseload, finished when discharged after
    acceptance, cancelled when closed before it."""
    if episode.discharge_date is not None:
        return "finished" if episode.accepted_date else "cancelled"
    return "active" if episode.accepted_date else "waitlist"
