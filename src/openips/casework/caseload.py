"""Caseloads and their prompts: what each open episode needs next.

Four queries whatever the caseload size: open episodes (annotated with their last client
contact, first employer contact and latest change in work), their current jobs (annotated with
the last in-work support and whether benefits counselling came before the start), the services'
programmes and the specialists' FTE; a fifth where a programme counts job outcomes: the recent
jobs of clients in work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import models
from django.db.models import Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery

from openips.accounts.models import User
from openips.casework.codes import ContactWith, Mode, Purpose
from openips.casework.models import Contact, live_contacts
from openips.clients import stages
from openips.clients.codes import RetentionStatus
from openips.clients.models import Episode
from openips.clients.queries import latest_retention
from openips.clients.stages import retention_status, stage_of
from openips.core.dates import add_days
from openips.core.formatting import format_date
from openips.employment.job_outcome import WEEKS, Progress, held, progress
from openips.employment.models import Job
from openips.organisations.models import StaffMember, StaffRole
from openips.organisations.programmes import SupportLimits
from openips.organisations.queries import programmes_on

EMPLOYER_CONTACT_DUE_DAY = 21
EMPLOYER_CONTACT_TARGET_DAY = 30
INACTIVE_AFTER_DAYS = 28
CASELOAD_PER_FTE = 20
ANNIVERSARIES = ((91, "13-week"), (182, "26-week"), (364, "52-week"))
ANNIVERSARY_LOOKAHEAD = 14
JOB_OUTCOMES = "job_outcomes"  # the measure whose progress the caseload shows where it counts
# Job retention (ADR 0034): an at-risk client is seen at least fortnightly; reviews at 13 and 26
# weeks after acceptance, prompted in the 14 days before each.
AT_RISK_NOT_SEEN_DAYS = 14
RETENTION_REVIEWS = ((91, "13-week"), (182, "26-week"))
RETENTION_REVIEW_LOOKAHEAD = 14


class ContactDates(TypedDict):
    last_client_contact: date | None
    first_employer_contact: date | None
    latest_retention: str | None  # the status of the latest change in work, if any
    latest_retention_date: date | None


class SupportFacts(TypedDict):
    last_support: date | None
    benefits_first: bool


if TYPE_CHECKING:  # types only: WithAnnotations cannot be subscripted at run time
    from django_stubs_ext import WithAnnotations

    # An open episode with its contact dates, and a current job with its support, as annotated.
    OpenEpisode = WithAnnotations[Episode, ContactDates]
    CurrentJob = WithAnnotations[Job, SupportFacts]


class PromptKind(models.TextChoices):
    """What a prompt is about, for counting them (the weekly summary) rather than reading them."""

    WAITING = "waiting", "Waiting to be accepted"
    NOT_SEEN = "not_seen", "Not seen for 4 weeks or more"
    EMPLOYER_CONTACT_OVERDUE = "employer_contact_overdue", "First employer contact overdue"
    EMPLOYER_CONTACT_DUE = "employer_contact_due", "First employer contact due by day 30"
    IN_WORK_SUPPORT = "in_work_support", "In-work support due"
    ANNIVERSARY = "anniversary", "Job anniversary coming up"
    NO_BENEFITS_COUNSELLING = "no_benefits_counselling", "No benefits counselling before a start"
    RETENTION_AT_RISK = "retention_at_risk", "At risk in work and not seen for 2 weeks or more"
    RETENTION_REVIEW = "retention_review", "Job retention review due"
    RETENTION_LEFT = "retention_left", "Left the job: next step to agree"
    TIME_LIMIT = "time_limit", "A time limit of the programme coming up or reached"


@dataclass(frozen=True)
class Prompt:
    text: str
    urgent: bool = False
    kind: str = ""  # a PromptKind


@dataclass
class CaseloadRow:
    episode: OpenEpisode
    job: CurrentJob | None
    prompts: list[Prompt] = field(default_factory=list)
    job_outcome: str = ""  # how far towards the job outcome, where the programme counts it

    @property
    def stage(self) -> str:
        retention = retention_status(self.episode, self.episode.latest_retention)
        return stage_of(self.episode, in_work=self.job is not None, retention=retention).label

    @property
    def last_contact(self) -> date | None:
        return self.episode.last_client_contact


def open_episodes(user: User, staff: StaffMember | None = None) -> QuerySet[OpenEpisode]:
    live = live_contacts()  # a join: the default manager's filter does not reach it
    client_contact = live & Q(contacts__contact_with=ContactWith.CLIENT, contacts__attended=True)
    employer_f2f = live & Q(
        contacts__contact_with=ContactWith.EMPLOYER,
        contacts__mode=Mode.FACE_TO_FACE,
        contacts__attended=True,
        contacts__date__gte=F("accepted_date"),
    )
    episodes = Episode.objects.visible_to(user).filter(discharge_date__isnull=True)
    if staff is not None:
        episodes = episodes.filter(employment_specialist=staff)
    annotated = episodes.select_related("person", "employment_specialist", "service").annotate(
        last_client_contact=Max("contacts__date", filter=client_contact),
        first_employer_contact=Min("contacts__date", filter=employer_f2f),
        latest_retention=latest_retention(),
        latest_retention_date=latest_retention(value="date"),
    )
    # The plugin types the annotations as Any; they are the dates ContactDates names.
    return cast(
        "QuerySet[OpenEpisode]",
        annotated.order_by("person__family_name", "person__given_name", "pk"),
    )


def current_jobs(episode_ids: list[int]) -> dict[int, CurrentJob]:
    same_episode = Contact.objects.filter(episode=OuterRef("episode"), attended=True)
    last_support = (
        same_episode.filter(purpose=Purpose.IN_WORK_SUPPORT, date__gte=OuterRef("start_date"))
        .order_by("-date")
        .values("date")[:1]
    )
    benefits_first = same_episode.filter(
        purpose=Purpose.BENEFITS_COUNSELLING, date__lte=OuterRef("start_date")
    )
    jobs = cast(  # the plugin does not follow annotate on JobQuerySet: these are SupportFacts
        "QuerySet[CurrentJob]",
        Job.objects.filter(episode_id__in=episode_ids, end_date__isnull=True)
        .annotate(last_support=Subquery(last_support), benefits_first=Exists(benefits_first))
        .order_by("start_date", "pk"),
    )
    return {job.episode_id: job for job in jobs}  # the latest start wins


def prompts_for(
    episode: OpenEpisode,
    job: CurrentJob | None,
    today: date,
    limits: SupportLimits | None = None,
) -> list[Prompt]:
    """`limits`: the time limits of the service's programme, if it has them."""
    prompts: list[Prompt] = []
    accepted = episode.accepted_date
    if accepted is None:
        return [Prompt("Waiting to be accepted", kind=PromptKind.WAITING)]
    days_in = (today - accepted).days
    last_seen = episode.last_client_contact
    seen_ago = (today - (last_seen or accepted)).days
    retention = retention_status(episode, episode.latest_retention)
    if retention == RetentionStatus.AT_RISK and seen_ago >= AT_RISK_NOT_SEEN_DAYS:
        text = f"At risk: not seen for {seen_ago} days"
        prompts.append(Prompt(text, True, PromptKind.RETENTION_AT_RISK))
    elif seen_ago >= INACTIVE_AFTER_DAYS:
        prompts.append(Prompt(f"Not seen for {seen_ago} days", True, PromptKind.NOT_SEEN))
    if retention is not None:
        prompts += retention_prompts(episode, retention, accepted, today)
    elif job is None and episode.first_employer_contact is None:
        if days_in >= EMPLOYER_CONTACT_TARGET_DAY:
            text = f"First employer contact overdue (day {days_in})"
            prompts.append(Prompt(text, True, PromptKind.EMPLOYER_CONTACT_OVERDUE))
        elif days_in >= EMPLOYER_CONTACT_DUE_DAY:
            text = f"First employer contact due by day 30 (day {days_in})"
            prompts.append(Prompt(text, kind=PromptKind.EMPLOYER_CONTACT_DUE))
    if job is not None:
        prompts += job_prompts(job, today)
    if limits is not None and retention is None:
        prompts += limit_prompts(accepted, job, limits, today)
    return prompts


def limit_prompts(
    accepted: date, job: CurrentJob | None, limits: SupportLimits, today: date
) -> list[Prompt]:
    """A time-limited programme: the end of the job search (from acceptance) or of in-work
    support (from the job's start), from `prompt_days_before` ahead until it is dealt with."""
    if job is None:
        ends, what = add_days(accepted, limits.job_search_days), "Job search"
    else:
        ends, what = add_days(job.start_date, limits.in_work_days), "In-work support"
    left = (ends - today).days
    if left > limits.prompt_days_before:
        return []
    if left > 0:
        text = f"{what} time limit on {format_date(ends)} ({left} days left)"
        return [Prompt(text, kind=PromptKind.TIME_LIMIT)]
    text = f"{what} time limit reached on {format_date(ends)}: agree the next step"
    return [Prompt(text, True, PromptKind.TIME_LIMIT)]


def retention_prompts(
    episode: OpenEpisode, status: str, accepted: date, today: date
) -> list[Prompt]:
    """A client employed at referral: once they have left the job, the next step to agree;
    until then, the 13- and 26-week reviews after acceptance as each comes up."""
    if status == RetentionStatus.LEFT:
        left = format_date(episode.latest_retention_date)
        text = f"Left the job on {left}: agree the next step (job search or discharge)"
        return [Prompt(text, kind=PromptKind.RETENTION_LEFT)]
    prompts = []
    for days, label in RETENTION_REVIEWS:
        due = add_days(accepted, days)
        if add_days(due, -RETENTION_REVIEW_LOOKAHEAD) <= today <= due:
            text = f"{label} retention review due by {format_date(due)}"
            prompts.append(Prompt(text, kind=PromptKind.RETENTION_REVIEW))
    return prompts


def support_due(start: date, last_support: date | None) -> date:
    """Within 3 days of the start, weekly in the first month, monthly after (principle 8)."""
    if last_support is None:
        return add_days(start, 3)
    if (last_support - start).days < 28:
        return add_days(last_support, 7)
    return add_days(last_support, 30)


def job_prompts(job: CurrentJob, today: date) -> list[Prompt]:
    prompts = []
    if job.start_date <= today:
        due = support_due(job.start_date, job.last_support)
        if due <= today:
            text = f"In-work support due since {format_date(due)}"
            prompts.append(Prompt(text, due < today, PromptKind.IN_WORK_SUPPORT))
    if job.start_confirmed:
        for days, label in ANNIVERSARIES:
            anniversary = add_days(job.start_date, days)
            if today <= anniversary <= add_days(today, ANNIVERSARY_LOOKAHEAD):
                text = f"{label} job anniversary on {format_date(anniversary)}"
                prompts.append(Prompt(text, kind=PromptKind.ANNIVERSARY))
    if not job.benefits_first:
        text = "No benefits counselling recorded before the job start"
        prompts.append(Prompt(text, kind=PromptKind.NO_BENEFITS_COUNSELLING))
    return prompts


def is_active(episode: OpenEpisode, today: date) -> bool:
    """IPS Grow's active caseload: engaged, with a client contact in the last 4 weeks."""
    last = episode.last_client_contact
    engaged = (
        episode.vocational_profile_date is not None and episode.vocational_profile_date <= today
    )
    return engaged and last is not None and (today - last).days <= 27


@dataclass
class SpecialistLoad:
    staff: StaffMember
    active: int

    @property
    def fte(self) -> str:
        return f"{self.staff.fte.normalize():f}" if self.staff.fte else "Not recorded"

    @property
    def per_fte(self) -> float | None:
        return self.active / float(self.staff.fte) if self.staff.fte else None

    @property
    def over_limit(self) -> bool:
        return self.per_fte is not None and self.per_fte > CASELOAD_PER_FTE


def job_outcome_line(found: Progress, today: date) -> str:
    if found.reached is not None and found.reached <= today:
        return f"Job outcome reached on {format_date(found.reached)}"
    so_far = f"Job outcome: {found.weeks} of {WEEKS} weeks so far"
    if found.reached is None:
        return so_far
    return f"{so_far}, reached on {format_date(found.reached)} if the job continues"


def job_outcomes(
    episodes: list[OpenEpisode], jobs: dict[int, CurrentJob], today: date
) -> dict[int, str]:
    """For each client in work, how far towards the job outcome (at 7 hours), from every
    confirmed job that can still cover one of the 16 weeks: one query."""
    in_work = [e.pk for e in episodes if e.pk in jobs]
    recent: dict[int, list[Job]] = {}
    window = add_days(today, -WEEKS * 7)
    for job in Job.objects.filter(episode_id__in=in_work, start_confirmed=True).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=window)
    ):
        recent.setdefault(job.episode_id, []).append(job)
    return {
        e.pk: job_outcome_line(
            progress(map(held, recent.get(e.pk, [])), e.person.date_of_birth, 7, today), today
        )
        for e in episodes
        if e.pk in jobs
    }


def caseload(
    user: User, today: date, staff: StaffMember | None = None
) -> tuple[list[CaseloadRow], list[SpecialistLoad]]:
    episodes = list(open_episodes(user, staff))
    jobs = current_jobs([e.pk for e in episodes])
    programmes = programmes_on({e.service_id for e in episodes}, today)
    # Where the programme counts job outcomes, each client in work shows how far they have come.
    counting = {pk for pk, p in programmes.items() if JOB_OUTCOMES in p.kpis}
    outcomes = job_outcomes([e for e in episodes if e.service_id in counting], jobs, today)
    rows = [
        CaseloadRow(
            e,
            jobs.get(e.pk),
            prompts_for(e, jobs.get(e.pk), today, programmes[e.service_id].limits),
            outcomes.get(e.pk, ""),
        )
        for e in episodes
    ]
    # What needs doing first: urgent prompts, then any prompt, then the rest (by name, as queried).
    rows.sort(key=lambda r: (not any(p.urgent for p in r.prompts), not r.prompts))
    active: dict[int, int] = {}
    for e in episodes:
        if e.employment_specialist_id and is_active(e, today):
            active[e.employment_specialist_id] = active.get(e.employment_specialist_id, 0) + 1
    specialists = StaffMember.objects.filter(
        role=StaffRole.EMPLOYMENT_SPECIALIST, end_date__isnull=True
    )
    specialists = (
        specialists.filter(pk=staff.pk)
        if staff
        else specialists.filter(service__in={e.service_id for e in episodes} or [user.service_id])
    )
    loads = [SpecialistLoad(s, active.get(s.pk, 0)) for s in specialists]
    return rows, loads


STAGE_ORDER = [s.label for s in stages.OPEN]


def _by_name(r: CaseloadRow) -> tuple[str, str, int]:
    return (r.episode.person.family_name, r.episode.person.given_name, r.episode.pk)


def _specialist(r: CaseloadRow) -> str:
    es = r.episode.employment_specialist
    return es.name if es else ""


SORT_KEYS: dict[str, Callable[[CaseloadRow], Any]] = {
    "priority": lambda r: 0,  # as `caseload` ordered them: a stable sort keeps that order
    "client": _by_name,
    "service": lambda r: (r.episode.service.name, *_by_name(r)),
    "stage": lambda r: (STAGE_ORDER.index(r.stage), *_by_name(r)),
    "specialist": lambda r: (_specialist(r), *_by_name(r)),
    "last_contact": lambda r: (r.last_contact or date.min, *_by_name(r)),
}


def arrange(
    rows: list[CaseloadRow],
    chosen: dict[str, str],
    stages: dict[str, str],
    sort: str,
    descending: bool,
) -> list[CaseloadRow]:
    """The rows the filters keep, in the order asked for. All in memory: a caseload is read
    whole to work out its prompts, so this adds no query."""
    if service := chosen.get("service"):
        rows = [r for r in rows if r.episode.service_id == int(service)]
    if specialist := chosen.get("specialist"):
        rows = [r for r in rows if r.episode.employment_specialist_id == int(specialist)]
    if stage := chosen.get("stage"):
        rows = [r for r in rows if r.stage == stages[stage]]
    return sorted(rows, key=SORT_KEYS[sort], reverse=descending)


def prompts_for_person(user: User, person_id: int, today: date) -> dict[int, list[Prompt]]:
    """The caseload's prompts for one person's open episodes, by episode: three queries."""
    episodes = list(open_episodes(user).filter(person_id=person_id))
    jobs = current_jobs([e.pk for e in episodes])
    programmes = programmes_on({e.service_id for e in episodes}, today)
    return {
        e.pk: prompts_for(e, jobs.get(e.pk), today, programmes[e.service_id].limits)
        for e in episodes
    }
