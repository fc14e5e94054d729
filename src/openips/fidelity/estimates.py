"""Data-derived fidelity estimates, exactly as the metric definitions give them (ADR 0008), as
of any date for one service. Each estimate keeps the records behind it, so every number can
link to them. A handful of queries whatever the size of the service."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from openips.casework.codes import ContactWith, Mode, Purpose, Setting
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core.dates import add_days
from openips.core.reporting import reporting_reads
from openips.employment.models import Job
from openips.fidelity.scale import Scale, default
from openips.organisations.models import Service, StaffMember, StaffRole
from openips.organisations.programmes import Programme
from openips.organisations.queries import programme_on
from openips.outcomes.facts import EpisodeFact, episode_facts
from openips.outcomes.metrics import OUT_OF_WORK, Period, is_engaged_on

WINDOW_DAYS = 364
WEEKLY_HOURS = 37.5  # the default contracted week (metrics.md: a service setting)
NEEDS_REVIEWER = {
    1: False,
    4: True,
    12: True,
    15: False,
    17: True,
    19: False,
    20: False,
    21: False,
    24: False,
}


@dataclass(frozen=True)
class Caseload:
    """One employment specialist's share of item 1: a service mean of 18 per full-time post
    can hide one specialist carrying 50, which the item's own figure never shows."""

    staff_id: str
    name: str
    fte: float | None
    active: int
    per_post: float | None  # active clients per full-time post; None without an fte
    over: bool  # above the top anchor's limit (more than 20 per full-time post)


@dataclass
class Estimate:
    number: int
    name: str
    value: float | None
    score: int | None
    needs_reviewer: bool
    kind: str = ""  # what `records` are: episode, job or staff
    records: list[Any] = field(default_factory=list)  # rows behind the figure, for the page
    caseloads: list[Caseload] = field(default_factory=list)  # item 1 only: each ES's own
    caseload_limit: float | None = None  # item 1 only: where the top anchor stops (20)

    @property
    def over_limit(self) -> list[Caseload]:
        """The specialists flagged beside the score, which stays the service's (metrics.md)."""
        return [c for c in self.caseloads if c.over]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "score": self.score,
            "needs_reviewer": self.needs_reviewer,
        }


@dataclass(frozen=True)
class Specialist:
    pk: int
    staff_id: str
    name: str
    fte: float | None
    weeks: float  # weeks in post within the window
    employer_contacts: int
    community_minutes: int


def in_post_on(s: StaffMember, day: date) -> bool:
    return (s.start_date is None or s.start_date <= day) and (
        s.end_date is None or s.end_date >= day
    )


def days_in_post(s: StaffMember, w: Period) -> int:
    first = max(s.start_date or w.start, w.start)
    last = min(s.end_date or w.end, w.end)
    return max((last - first).days + 1, 0)


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


class Estimator:
    @reporting_reads
    def __init__(self, service: Service, as_of: date, scale: Scale | None = None) -> None:
        self.service, self.as_of, self.scale = service, as_of, scale or default()
        self.window = Period(add_days(as_of, -WINDOW_DAYS), as_of)
        episodes = Episode.objects.filter(service=service)
        self.episodes: list[EpisodeFact] = episode_facts(episodes, as_of)
        self.staff = list(
            StaffMember.objects.filter(service=service, role=StaffRole.EMPLOYMENT_SPECIALIST)
        )
        self.jobs = list(self._jobs())
        self.specialists = self._specialists()

    def _jobs(self) -> Any:
        counselled = Contact.objects.filter(
            episode=OuterRef("episode"),
            contact_with=ContactWith.CLIENT,
            purpose=Purpose.BENEFITS_COUNSELLING,
            attended=True,
            date__lte=OuterRef("start_date"),
        )
        return (
            Job.objects.filter(service=self.service, start_confirmed=True)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.window.start))
            .filter(start_date__lte=self.window.end)
            .annotate(counselled=Exists(counselled))
            .select_related("episode__person", "employer")
            .order_by("start_date", "pk")
        )

    def _specialists(self) -> list[Specialist]:
        w = self.window
        f2f = Q(mode=Mode.FACE_TO_FACE, attended=True, date__range=(w.start, w.end))
        totals = {
            row["staff_id"]: row
            for row in Contact.objects.filter(service=self.service)
            .filter(f2f)
            .values("staff_id")
            .annotate(
                employer=Count("pk", filter=Q(contact_with=ContactWith.EMPLOYER)),
                community=Sum("minutes", filter=Q(setting=Setting.COMMUNITY)),
            )
        }
        found = []
        for s in self.staff:
            weeks = days_in_post(s, w) / 7
            if weeks <= 0:
                continue
            row = totals.get(s.pk, {})
            found.append(
                Specialist(
                    s.pk,
                    s.staff_id,
                    s.name,
                    float(s.fte) if s.fte is not None else None,
                    weeks,
                    row.get("employer") or 0,
                    row.get("community") or 0,
                )
            )
        return found

    def _make(
        self,
        number: int,
        value: float | None,
        kind: str,
        records: list[Any],
        count: int | None = None,
    ) -> Estimate:
        item = self.scale.item(number)
        return Estimate(
            number,
            item.name,
            value,
            item.score(value, count),
            NEEDS_REVIEWER[number],
            kind,
            records,
        )

    def caseload(self) -> Estimate:
        d = self.as_of
        active = [e for e in self.episodes if is_engaged_on(e, d) and e.client_contact_recently]
        in_post = [s for s in self.staff if in_post_on(s, d)]
        fte = sum((s.fte or Decimal(0)) for s in in_post)
        value = len(active) / float(fte) if fte else None
        found = self._make(1, value, "episode", active)
        found.caseload_limit = self.scale.item(1).best_limit()
        found.caseloads = self._caseloads(active, in_post, found.caseload_limit)
        return found

    def _caseloads(
        self, active: list[EpisodeFact], in_post: list[StaffMember], limit: float | None
    ) -> list[Caseload]:
        carried = Counter(e.specialist for e in active)
        found = []
        for s in sorted(in_post, key=lambda s: s.staff_id):
            n = carried[s.staff_id]
            per_post = n / float(s.fte) if s.fte else None
            over = per_post is not None and limit is not None and per_post > limit
            fte = float(s.fte) if s.fte is not None else None
            found.append(Caseload(s.staff_id, s.name, fte, n, per_post, over))
        return found

    def team_assignment(self) -> Estimate:
        d = self.as_of
        in_post = {s.staff_id for s in self.staff if in_post_on(s, d)}
        by_es: dict[str, list[EpisodeFact]] = defaultdict(list)
        for e in self.episodes:
            if e.specialist in in_post and e.team and is_engaged_on(e, d):
                by_es[e.specialist].append(e)
        shares = []
        for episodes in by_es.values():
            top_two = sum(n for _, n in Counter(e.team for e in episodes).most_common(2))
            shares.append(top_two / len(episodes))
        return self._make(4, mean(shares), "episode", [e for es in by_es.values() for e in es])

    def benefits_counselling(self) -> Estimate:
        starts = [j for j in self.jobs if j.start_date in self.window]
        value = sum(j.counselled for j in starts) / len(starts) if starts else None
        return self._make(12, value, "job", starts)

    def rapid_job_search(self) -> Estimate:
        d = self.as_of
        waits = []
        for e in self.episodes:
            if e.status in OUT_OF_WORK and e.accepted in self.window and e.accepted is not None:
                first = e.first_employer_contact
                seen = first if first is not None and first <= d else None
                waits.append((((seen or d) - e.accepted).days, seen is None, e))
        waits.sort(key=lambda w: (-w[0], w[2].pk))
        return self._make(15, mean([w[0] for w in waits]), "episode", waits)

    def employer_contact(self) -> Estimate:
        rates = [s.employer_contacts / s.weeks / s.fte for s in self.specialists if s.fte]
        return self._make(17, mean(rates), "staff", self.specialists)

    def _overlapping(self) -> list[Job]:
        return list(self.jobs)  # the query keeps only jobs whose interval overlaps the window

    def job_types(self) -> Estimate:
        jobs = self._overlapping()
        keys = {j.job_type or j.job_title.strip().lower() for j in jobs}
        return self._make(19, len(keys) / len(jobs) if jobs else None, "job", jobs)

    def employers(self) -> Estimate:
        jobs = [j for j in self._overlapping() if j.employer_id is not None]
        value = len({j.employer_id for j in jobs}) / len(jobs) if jobs else None
        return self._make(20, value, "job", jobs)

    def competitive(self) -> Estimate:
        jobs = self._overlapping()
        value = sum(j.competitive for j in jobs) / len(jobs) if jobs else None
        return self._make(21, value, "job", jobs, count=len(jobs))

    def community(self) -> Estimate:
        shares = [
            s.community_minutes / (s.fte * WEEKLY_HOURS * 60 * s.weeks)
            for s in self.specialists
            if s.fte
        ]
        return self._make(24, mean(shares), "staff", self.specialists)

    def all(self) -> list[Estimate]:
        return [
            self.caseload(),
            self.team_assignment(),
            self.benefits_counselling(),
            self.rapid_job_search(),
            self.employer_contact(),
            self.job_types(),
            self.employers(),
            self.competitive(),
            self.community(),
        ]


def fidelity_json(service: Service, as_of: date) -> dict[str, Any]:
    estimator = Estimator(service, as_of)
    found = estimator.all()
    scores = [e.score for e in found if e.score is not None]
    return {
        "schema": "openips.fidelity/1",
        "service": service.code,
        "as_of": as_of.isoformat(),
        "window": {
            "start": estimator.window.start.isoformat(),
            "end": estimator.window.end.isoformat(),
        },
        "items": {str(e.number): e.as_json() for e in found},
        "estimated_total": sum(scores),
        "estimated_items": len(scores),
    }


@dataclass(frozen=True)
class Evidence:
    item: int
    text: str


@reporting_reads
def evidence(estimator: Estimator) -> list[Evidence]:
    """Data beside items that reviewers rate, without claiming a score (metrics.md)."""
    w, service = estimator.window, estimator.service
    found = []
    preferences = list(
        Contact.objects.filter(
            service=service,
            contact_with=ContactWith.EMPLOYER,
            attended=True,
            date__range=(w.start, w.end),
            matches_preferences__isnull=False,
        ).values_list("matches_preferences", flat=True)
    )
    if preferences:
        share = sum(1 for p in preferences if p) / len(preferences)
        found.append(
            Evidence(
                16,
                f"{share:.0%} of {len(preferences)} employer contacts with a "
                "recorded answer followed the client's preferences",
            )
        )
    closed = Counter(
        e.discharge_reason
        for e in Episode.objects.filter(
            service=service, discharge_date__range=(w.start, w.end), vocational_profile_date=None
        ).only("discharge_reason")
    )
    if closed:
        reasons = ", ".join(
            f"{reason.replace('_', ' ')}: {n}" for reason, n in closed.most_common()
        )
        found.append(
            Evidence(9, f"{sum(closed.values())} referrals closed before engagement ({reasons})")
        )
    starts = [j for j in estimator.jobs if j.start_date in w]
    if starts:
        seen: dict[int, list[date]] = defaultdict(list)
        for episode_id, day in Contact.objects.filter(
            episode_id__in={j.episode_id for j in starts},
            contact_with=ContactWith.CLIENT,
            mode=Mode.FACE_TO_FACE,
            attended=True,
            date__range=(w.start, add_days(estimator.as_of, 27)),
        ).values_list("episode_id", "date"):
            seen[episode_id].append(day)
        kept = 0
        for job in starts:
            days = [(d - job.start_date).days for d in seen[job.episode_id]]
            soon = any(0 <= d <= 3 for d in days)
            weekly = all(any(7 * k <= d <= 7 * k + 6 for d in days) for k in range(4))
            kept += soon and weekly
        found.append(
            Evidence(
                23,
                f"{kept} of {len(starts)} job starts had a face-to-face contact "
                "within 3 days after the start and in each of the first 4 weeks",
            )
        )
    return sorted(modified(found, programme_on(service, estimator.as_of)), key=lambda e: e.item)


def modified(found: list[Evidence], programme: Programme) -> list[Evidence]:
    """Items the service's programme reads differently say so, rather than look like a
    failure: the note goes before the item's evidence, or stands alone."""
    notes = dict(programme.modified_items)
    changed = [
        Evidence(e.item, f"{notes.pop(e.item)}. {e.text}") if e.item in notes else e for e in found
    ]
    return changed + [Evidence(item, note) for item, note in notes.items()]
