"""The stages of an episode, in the order of the journey: the one vocabulary the record, the
clients list and the caseloads use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from openips.clients.models import Episode


class Stage(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"  # accepted, vocational profile not started
    JOB_SEEKING = "job_seeking", "Job seeking"  # the profile started, no job open
    IN_WORK = "in_work", "In work"  # a job open, confirmed or not
    DISCHARGED = "discharged", "Discharged"


ORDER = list(Stage)
OPEN = [s for s in Stage if s != Stage.DISCHARGED]  # the stages a caseload shows


def stage_of(episode: Episode, *, in_work: bool) -> Stage:
    """`in_work`: whether the episode has a job that has not ended (the caller has its jobs)."""
    if episode.discharge_date:
        return Stage.DISCHARGED
    if not episode.accepted_date:
        return Stage.REFERRED
    if in_work:
        return Stage.IN_WORK
    return Stage.JOB_SEEKING if episode.vocational_profile_date else Stage.ACCEPTED
