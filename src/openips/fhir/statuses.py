"""How an episode's stage reads as the status of each FHIR resource about it (docs/fhir.md).

The stage is the one vocabulary of the record and the caseloads (`clients.stages`): referred,
accepted, job seeking (the vocational profile started), in work, discharged. A discharge before
acceptance is a referral that closed before the work began (the person declined, or could not
be reached): never one the team turned down, as IPS excludes no one who wants to work. After
acceptance it is the work done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openips.clients.models import Episode
from openips.clients.stages import Stage, stage_of


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


TASK_STATUS = {
    Stage.REFERRED: "requested",
    Stage.ACCEPTED: "accepted",
    Stage.JOB_SEEKING: "in-progress",  # work has started: the vocational profile
    Stage.IN_WORK: "in-progress",
    Stage.DISCHARGED: "completed",
}


def task_state(episode: Episode, *, in_work: bool) -> TaskState:
    """`in_work`: whether a job of the episode is open (`clients.queries.has_open_job`)."""
    stage = stage_of(episode, in_work=in_work)
    if stage == Stage.DISCHARGED and episode.accepted_date is None:
        reason = episode.get_discharge_reason_display() or "Closed before acceptance"
        # Cancelled, not rejected: R4's rejected is the performer declining to do the task.
        return TaskState("cancelled", episode.discharge_date or episode.referral_date, reason)
    since = {
        Stage.REFERRED: episode.referral_date,
        Stage.ACCEPTED: episode.accepted_date,
        Stage.JOB_SEEKING: episode.vocational_profile_date,
        Stage.IN_WORK: episode.vocational_profile_date or episode.accepted_date,
        Stage.DISCHARGED: episode.discharge_date,
    }[stage]
    return TaskState(TASK_STATUS[stage], since or episode.referral_date)


def episode_of_care_status(episode: Episode) -> str:
    """waitlist until accepted, active on the caseload, finished when discharged after
    acceptance, cancelled when closed before it."""
    if episode.discharge_date is not None:
        return "finished" if episode.accepted_date else "cancelled"
    return "active" if episode.accepted_date else "waitlist"
