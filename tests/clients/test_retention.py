"""Job retention (ADR 0034): a client employed at referral has stages of their own, recorded as
dated changes in work on a small page of their record, which the record, the clients list, the
caseload and subject access all show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.casework.caseload import caseload
from openips.clients.codes import RetentionStatus
from openips.clients.models import Episode, RetentionChange
from openips.clients.services import record_retention_change
from openips.clients.stages import Stage, retention_status, stage_of, status_on
from openips.governance.rights import everything_held
from tests.clients.test_journey import date_fields
from tests.conftest import World, make_person, signed_in
from tests.factories import EpisodeFactory

REFERRED = date(2025, 1, 6)  # the world's episodes: referred 6 January, accepted 8 January 2025


def employed(world: World, person: str = "a") -> Episode:
    episode = world.episode(getattr(world, f"person_{person}"))
    episode.employment_status_at_referral = "employed"
    episode.save()
    return episode


def change(world: World, episode: Episode, status: str, day: date) -> RetentionChange:
    return record_retention_change(
        world.users[Role.EMPLOYMENT_SPECIALIST], episode, status=status, date=day
    )


# Stages and statuses


@pytest.mark.parametrize(
    ("latest", "stage"),
    [
        (None, "Job retention: at risk"),
        ("at_risk", "Job retention: at risk"),
        ("back_at_work", "Job retention: back at work"),
        ("adjusted_role", "Job retention: in an adjusted role"),
        ("left", "Job retention: left the job"),
    ],
)
def test_an_accepted_client_employed_at_referral_is_at_their_retention_status(
    latest: str | None, stage: str
) -> None:
    e = EpisodeFactory.build(employment_status_at_referral="employed")
    status = retention_status(e, latest)
    assert stage_of(e, in_work=True, retention=status).label == stage
    # before acceptance and after discharge, the episode's own stage
    e.accepted_date = None
    assert stage_of(e, in_work=False, retention=status) == Stage.REFERRED
    e.discharge_date = e.referral_date
    assert stage_of(e, in_work=False, retention=status) == Stage.DISCHARGED


def test_a_job_seeker_has_no_retention_status_and_the_journey_stages_stay() -> None:
    seeker = EpisodeFactory.build(employment_status_at_referral="unemployed")
    assert retention_status(seeker, None) is None
    assert stage_of(seeker, in_work=True, retention=None) == Stage.IN_WORK
    # a caller that does not ask (the FHIR interface) gets the job seeker's five stages
    keeping = EpisodeFactory.build(employment_status_at_referral="employed")
    assert stage_of(keeping, in_work=False) == Stage.ACCEPTED


def test_the_status_on_a_day_is_the_last_change_dated_on_or_before_it() -> None:
    changes = [
        (date(2025, 3, 1), "back_at_work"),
        (date(2025, 5, 1), "left"),
        (date(2025, 5, 1), "adjusted_role"),  # the same day, recorded later: it stands
    ]
    assert status_on([], date(2025, 1, 1)) == RetentionStatus.AT_RISK
    assert status_on(changes, date(2025, 2, 28)) == RetentionStatus.AT_RISK
    assert status_on(changes, date(2025, 3, 1)) == RetentionStatus.BACK_AT_WORK
    assert status_on(changes, date(2025, 4, 30)) == RetentionStatus.BACK_AT_WORK
    assert status_on(changes, date(2025, 5, 1)) == RetentionStatus.ADJUSTED_ROLE


# The model's rules


def test_a_change_is_refused_before_the_referral_in_the_future_or_for_a_job_seeker(
    world: World,
) -> None:
    episode = employed(world)
    with pytest.raises(ValidationError, match="on or after the referral date"):
        change(world, episode, "left", REFERRED - timedelta(days=1))
    with pytest.raises(ValidationError, match="today or in the past"):
        change(world, episode, "left", timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="employed at referral"):
        change(world, world.episode(world.person_b), "left", REFERRED)
    assert not RetentionChange.objects.exists()
    assert change(world, episode, "left", REFERRED).status == "left"  # on the referral day


# The page


@pytest.fixture
def es(world: World) -> Client:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def url(episode: Episode) -> str:
    return reverse("clients:retention_change", args=[episode.pk])


def test_the_page_says_where_the_client_stands_and_records_a_change_audited(
    world: World, es: Client
) -> None:
    episode = employed(world)
    page = es.get(url(episode)).content.decode()
    assert "Record a change in work" in page
    assert "At risk (off sick or struggling) since the referral on 6 January 2025" in page
    day = date(2025, 3, 3)
    response = es.post(url(episode), {"status": "back_at_work", **date_fields("date", day)})
    assert response.status_code == 302
    assert response["Location"] == reverse("record:person", args=[world.person_a.pk])
    saved = RetentionChange.objects.get()
    assert (saved.episode, saved.status, saved.date) == (episode, "back_at_work", day)
    assert saved.recorded_by == world.users[Role.EMPLOYMENT_SPECIALIST]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="clients.retentionchange")
    assert (event.person_id, event.service_id) == (world.person_a.pk, world.service_a.pk)
    assert event.changes["fields"] == ["date", "episode", "id", "recorded_by", "status"]
    assert "Back at work since 3 March 2025" in es.get(url(episode)).content.decode()


@pytest.mark.parametrize(
    ("entered", "problems"),
    [
        (
            {"date_day": "", "date_month": "", "date_year": ""},  # what an empty form sends
            ["Select what has changed", "Enter the date of the change"],
        ),
        (
            {"status": "left", **date_fields("date", REFERRED - timedelta(days=1))},
            ["Date of the change must be on or after the referral date, 6 January 2025"],
        ),
        (
            {"status": "left", "date_day": "31", "date_month": "2", "date_year": "2025"},
            ["Date of the change must be a real date"],
        ),
        (
            {"status": "left", **date_fields("date", timezone.localdate() + timedelta(days=1))},
            ["Date of the change must be today or in the past"],
        ),
        (
            {"status": "retired", **date_fields("date", REFERRED)},
            ["Select what has changed from the list"],
        ),
    ],
)
def test_bad_input_is_answered_in_the_error_summary_and_nothing_is_saved(
    world: World, es: Client, entered: dict[str, str], problems: list[str]
) -> None:
    episode = employed(world)
    response = es.post(url(episode), entered)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and "<title>Error: " in page
    for problem in problems:
        assert problem in page
    assert not RetentionChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_only_an_open_episode_employed_at_referral_takes_changes(world: World, es: Client) -> None:
    seeker = world.episode(world.person_a)  # unemployed at referral
    entered = {"status": "left", **date_fields("date", REFERRED)}
    response = es.post(url(seeker), entered, follow=True)
    assert "Changes in work are recorded while the episode" in response.content.decode()
    episode = employed(world)
    episode.discharge_date = date(2025, 2, 1)
    episode.discharge_reason = "moved_on_in_work"
    episode.save()
    assert es.post(url(episode), entered).status_code == 302
    assert not RetentionChange.objects.exists()


def test_an_outsider_gets_404_and_a_role_that_cannot_edit_gets_403(
    world: World, es: Client
) -> None:
    theirs = employed(world, "b")  # another organisation's client
    entered = {"status": "left", **date_fields("date", REFERRED)}
    assert es.get(url(theirs)).status_code == 404
    assert es.post(url(theirs), entered).status_code == 404
    mine = employed(world)
    for role in (Role.CLINICIAN, Role.SERVICE_MANAGER):
        assert signed_in(world.users[role]).post(url(mine), entered).status_code == 403
    assert not RetentionChange.objects.exists()


# Where it shows


def test_the_record_shows_the_stage_each_change_and_the_link(world: World, es: Client) -> None:
    episode = employed(world)
    record = reverse("record:person", args=[world.person_a.pk])
    page = es.get(record).content.decode()
    assert f"Episode {episode.episode_id}: job retention: at risk" in page
    assert url(episode) in page and "Record a change in work" in page
    change(world, episode, "at_risk", date(2025, 2, 10))
    change(world, episode, "adjusted_role", date(2025, 4, 7))
    page = es.get(record).content.decode()
    assert f"Episode {episode.episode_id}: job retention: in an adjusted role" in page
    assert "At risk in work (off sick or struggling)" in page
    assert "In an adjusted role" in page and "10 February 2025" in page
    assert "Recorded by Esme A, Employment specialist" in page
    # a job seeker's record offers no such page
    Episode.objects.filter(pk=episode.pk).update(employment_status_at_referral="unemployed")
    assert url(episode) not in es.get(record).content.decode()


def test_the_record_and_caseload_read_the_status_in_a_fixed_number_of_queries(
    world: World, es: Client
) -> None:
    staff = world.service_a.staff.get(staff_id="ES01")
    record = reverse("record:person", args=[world.person_a.pk])
    leader = signed_in(world.users[Role.TEAM_LEADER])
    episode = employed(world)

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as on_record:
            assert es.get(record).status_code == 200
        with CaptureQueriesContext(connection) as on_caseload:
            assert leader.get(reverse("casework:team_caseload")).status_code == 200
        return len(on_record.captured_queries), len(on_caseload.captured_queries)

    es.get(record), leader.get(reverse("casework:team_caseload"))  # settle the sessions
    few = counted()
    for n in range(30):
        other = make_person(world.service_a, world.team_a, staff, f"R{n:02d}", "").episodes.get()
        other.employment_status_at_referral = "employed"
        other.save()
        change(world, other, "back_at_work", date(2025, 2, 1))
        change(world, episode, "at_risk", date(2025, 2, 1) + timedelta(days=n))
    assert counted() == few


def test_the_caseload_and_the_clients_list_show_and_filter_the_retention_stage(
    world: World,
) -> None:
    episode = employed(world)
    change(world, episode, "left", date(2025, 6, 2))
    leader = world.users[Role.TEAM_LEADER]
    rows, _ = caseload(leader, timezone.localdate())
    (row,) = [r for r in rows if r.episode.pk == episode.pk]
    assert row.stage == "Job retention: left the job"
    assert "Left the job on 2 June 2025: agree the next step (job search or discharge)" in [
        p.text for p in row.prompts
    ]
    client = signed_in(leader)
    listed = client.get(reverse("clients:list"), {"stage": "retention_left"}).content.decode()
    assert "Test A001" in listed and "Job retention: left the job" in listed
    for other in ("retention_at_risk", "in_work"):
        page = client.get(reverse("clients:list"), {"stage": other}).content.decode()
        assert "Test A001" not in page
    sorted_page = client.get(reverse("casework:team_caseload"), {"sort": "stage"})
    assert sorted_page.status_code == 200


def test_subject_access_gives_the_changes_in_work(world: World) -> None:
    episode = employed(world)
    change(world, episode, "adjusted_role", date(2025, 4, 7))
    bundle = everything_held(world.users[Role.IG_LEAD], world.person_a)
    (held,) = bundle["episodes"][0]["changes_in_work"]
    assert (held["date"], held["status"]) == ("2025-04-07", "adjusted_role")
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:subject_access", args=[world.person_a.pk])
    )
    assert "7 April 2025: In an adjusted role" in page.content.decode()
