"""NHS Talking Therapies employment records: one at assessment and one at discharge for each
episode, recorded and corrected on one page by the IPS team, each answer checked against the
others, every save audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.clients.models import Episode
from openips.employment import services
from openips.employment.codes import EmploymentStatus, Moment, WeeklyHoursWorked
from openips.employment.models import EmploymentRecord, consistency_problems
from openips.governance import rights
from openips.organisations.models import ServiceProgramme
from openips.record.presenters import EmploymentRecordLine
from tests.conftest import World, signed_in

SINCE = date(2024, 1, 1)  # the world's services run the programme from before its records
RECORDED = {"recorded_on_day": "3", "recorded_on_month": "2", "recorded_on_year": "2025"}
UNEMPLOYED = {
    **RECORDED,
    "employment_status": "02",
    "weekly_hours": "98",
    "statutory_sick_pay": "no",
    "benefits_received": "yes",
    "esa": "no",
    "universal_credit": "yes",
    "pip": "not_known",
    "employment_support_suitable": "Y",
}
EMPLOYED_OFF_SICK = {
    **UNEMPLOYED,
    "employment_status": "01",
    "weekly_hours": "02",
    "self_employed": "no",
    "sick_absence": "yes",
    "statutory_sick_pay": "yes",
}


def url(episode: Episode, moment: str = "assessment") -> str:
    return reverse("employment:employment_record", args=[episode.pk, moment])


def values(**changes: Any) -> dict[str, Any]:
    """A consistent employed record's values, with some changed."""
    return {
        "recorded_on": date(2025, 2, 3),
        "employment_status": EmploymentStatus.EMPLOYED,
        "weekly_hours": WeeklyHoursWorked.FROM_16,
        "self_employed": False,
        "sick_absence": True,
        "statutory_sick_pay": True,
        "benefits_received": False,
        "esa": False,
        "universal_credit": False,
        "pip": None,
        "employment_support_suitable": "Y",
        **changes,
    }


def candidate(world: World, **changes: Any) -> EmploymentRecord:
    return EmploymentRecord(
        episode=world.episode(world.person_a), moment=Moment.ASSESSMENT, **values(**changes)
    )


# The model's rules: one set, kept by the page and by every save.


def test_a_consistent_record_has_no_problems(world: World) -> None:
    assert consistency_problems(candidate(world)) == {}
    unemployed = candidate(
        world,
        employment_status="02",
        weekly_hours="98",
        self_employed=None,
        sick_absence=None,
        statutory_sick_pay=False,
    )
    assert consistency_problems(unemployed) == {}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weekly_hours": "98"}, "weekly_hours", "not applicable is only for someone not employed"),
        (
            {
                "employment_status": "ZZ",
                "self_employed": None,
                "sick_absence": None,
                "statutory_sick_pay": None,
                "weekly_hours": "98",
            },
            "weekly_hours",
            "not applicable is only for someone not employed",
        ),
        (
            {
                "employment_status": "04",
                "self_employed": None,
                "sick_absence": None,
                "statutory_sick_pay": False,
            },
            "weekly_hours",
            "Select not applicable for hours: they are not employed",
        ),
        (
            {
                "employment_status": "02",
                "weekly_hours": "98",
                "sick_absence": None,
                "statutory_sick_pay": False,
            },
            "self_employed",
            "Self-employment is recorded only for someone employed",
        ),
        (
            {
                "employment_status": "02",
                "weekly_hours": "98",
                "self_employed": None,
                "statutory_sick_pay": False,
            },
            "sick_absence",
            "Sickness absence is recorded only for someone employed",
        ),
        ({"sick_absence": False}, "statutory_sick_pay", "paid only to someone off work sick"),
        ({"sick_absence": None}, "statutory_sick_pay", "paid only to someone off work sick"),
        ({"self_employed": True}, "statutory_sick_pay", "Self-employed people cannot get"),
        ({"pip": True}, "benefits_received", "they receive ESA, Universal Credit or PIP"),
        (
            {"universal_credit": True, "benefits_received": None},
            "benefits_received",
            "they receive ESA, Universal Credit or PIP",
        ),
        (
            {
                "employment_status": "06",
                "weekly_hours": "98",
                "self_employed": None,
                "sick_absence": None,
                "statutory_sick_pay": False,
                "benefits_received": True,
                "esa": True,
            },
            "employment_status",
            "they receive ESA or PIP",
        ),
        (
            {"recorded_on": date(2025, 1, 5)},
            "recorded_on",
            "on or after the referral date, 6 January 2025",
        ),
    ],
)
def test_each_contradiction_is_named_at_the_answer_to_correct(
    world: World, changes: dict[str, Any], field: str, words: str
) -> None:
    problems = consistency_problems(candidate(world, **changes))
    assert list(problems) == [field]
    assert words in problems[field]


def test_saving_keeps_the_rules_and_the_date_bounds(world: World) -> None:
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    episode = world.episode(world.person_a)
    for wrong in (
        {"weekly_hours": "98"},
        {"recorded_on": timezone.localdate() + timedelta(days=1)},
        {"recorded_on": date(1899, 12, 31)},
        {"employment_status": "09"},
        {"esa": "maybe"},
    ):
        with pytest.raises(ValidationError):
            services.record_employment(actor, episode, Moment.ASSESSMENT, values(**wrong))
    assert not EmploymentRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_one_record_of_each_moment_per_episode(world: World) -> None:
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    episode = world.episode(world.person_a)
    services.record_employment(actor, episode, Moment.ASSESSMENT, values())
    with pytest.raises(services.AlreadyRecorded):
        services.record_employment(actor, episode, Moment.ASSESSMENT, values())
    services.record_employment(actor, episode, Moment.DISCHARGE, values(esa=None))
    assert EmploymentRecord.objects.filter(episode=episode).count() == 2
    # Saved by someone else between the check and the insert: the database refuses it.
    with (
        mock.patch.object(EmploymentRecord, "validate_constraints"),
        pytest.raises(services.AlreadyRecorded),
    ):
        services.record_employment(actor, episode, Moment.DISCHARGE, values())
    assert EmploymentRecord.objects.filter(episode=episode).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 2


def test_the_record_says_which_of_the_two_is_recorded() -> None:
    lines = [
        EmploymentRecordLine(Moment.ASSESSMENT, date(2026, 5, 3)),
        EmploymentRecordLine(Moment.DISCHARGE, None),
    ]
    assert [line.status for line in lines] == ["recorded 3 May 2026", "not recorded"]


@pytest.fixture(autouse=True)
def talking_therapies(request: pytest.FixtureRequest) -> None:
    """The world's services are Talking Therapies employment services, whose programme records
    these fields; a test that wants IPS in secondary care removes the rows."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        for service in (world.service_a, world.service_b):
            ServiceProgramme.objects.create(
                service=service, programme="talking_therapies_employment", valid_from=SINCE
            )


def test_the_record_offers_it_only_where_the_programme_records_it(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    record_page = reverse("record:person", args=[world.person_a.pk])
    assert "Talking Therapies employment record" in specialist.get(record_page).content.decode()
    ServiceProgramme.objects.all().delete()  # back to IPS in secondary mental health
    assert "Talking Therapies employment record" not in specialist.get(record_page).content.decode()


# The page.


def test_recording_an_assessment_is_audited_and_shown_on_the_record(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    record_page = reverse("record:person", args=[world.person_a.pk])
    before = specialist.get(record_page).content.decode()
    assert "Talking Therapies employment record" in before
    assert url(episode) in before and url(episode, "discharge") in before
    assert before.count("(not recorded)") == 2

    page = specialist.get(url(episode)).content.decode()
    assert "Assessment: Talking Therapies employment record" in page
    assert 'type="radio"' in page and "recorded_on_day" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="clients.episode", object_id=str(episode.pk)
    ).exists()

    response = specialist.post(url(episode), EMPLOYED_OFF_SICK)
    assert response.status_code == 302
    saved = EmploymentRecord.objects.get(episode=episode, moment=Moment.ASSESSMENT)
    assert (saved.employment_status, saved.weekly_hours) == ("01", "02")
    assert (saved.self_employed, saved.sick_absence, saved.statutory_sick_pay) == (
        False,
        True,
        True,
    )
    assert (saved.universal_credit, saved.pip, saved.employment_support_suitable) == (
        True,
        None,
        "Y",
    )
    assert saved.recorded_by == world.users[Role.EMPLOYMENT_SPECIALIST]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(saved.pk))
    assert event.object_type == "employment.employmentrecord"
    assert (event.person_id, event.service_id) == (world.person_a.pk, world.service_a.pk)
    assert "employment_status" in event.changes["fields"]
    assert "01" not in repr(event.changes)  # which fields, never their values (ADR 0017)

    after = specialist.get(record_page).content.decode()
    assert "(recorded 3 February 2025)" in after and after.count("(not recorded)") == 1


def test_answers_about_work_are_dropped_for_someone_not_employed(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    # Answered before the status was changed to unemployed: not applicable, so not kept.
    posted = {**UNEMPLOYED, "self_employed": "yes", "sick_absence": "no"}
    assert specialist.post(url(episode, "discharge"), posted).status_code == 302
    saved = EmploymentRecord.objects.get(moment=Moment.DISCHARGE)
    assert (saved.self_employed, saved.sick_absence) == (None, None)
    page = specialist.get(url(episode, "discharge")).content.decode()
    assert 'name="pip" type="radio" value="not_known" checked' in page  # as saved
    assert 'name="self_employed" type="radio" value="not_known" checked' not in page


def test_someone_employed_is_asked_about_self_employment_and_sickness(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    posted = {**EMPLOYED_OFF_SICK}
    del posted["self_employed"], posted["sick_absence"]
    page = specialist.post(url(world.episode(world.person_a)), posted).content.decode()
    assert "nhsuk-error-summary" in page
    assert "Answer the question: Are they self-employed?" in page
    assert "Answer the question: Are they off work sick?" in page
    assert not EmploymentRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message", "target"),
    [
        (
            {"weekly_hours": "98"},
            "Select the hours they work, or not known: not applicable is only for someone not "
            "employed",
            "#id_weekly_hours",
        ),
        (
            {"employment_status": "02", "weekly_hours": "03", "statutory_sick_pay": "no"},
            "Select not applicable for hours: they are not employed",
            "#id_weekly_hours",
        ),
        (
            {"sick_absence": "no"},
            "Statutory Sick Pay is paid only to someone off work sick",
            "#id_statutory_sick_pay",
        ),
        (
            {"self_employed": "yes"},
            "Self-employed people cannot get Statutory Sick Pay",
            "#id_statutory_sick_pay",
        ),
        (
            {"benefits_received": "no", "esa": "yes"},
            "Select yes for benefits: they receive ESA, Universal Credit or PIP",
            "#id_benefits_received",
        ),
        (
            {
                "employment_status": "06",
                "weekly_hours": "98",
                "statutory_sick_pay": "no",
                "pip": "yes",
            },
            "Select another employment status: they receive ESA or PIP",
            "#id_employment_status",
        ),
        (
            {"recorded_on_year": "2024"},
            "Date recorded must be on or after the referral date, 6 January 2025",
            "#id_recorded_on_day",
        ),
        (
            {"recorded_on_year": str(timezone.localdate().year + 1)},
            "Date recorded must be today or in the past",
            "#id_recorded_on_day",
        ),
        ({"esa": ""}, "Answer the question: Do they receive Employment and Support", "#id_esa"),
        ({"employment_status": ""}, "Select their employment status", "#id_employment_status"),
    ],
)
def test_each_rule_is_in_the_error_summary_and_nothing_is_saved(
    world: World, changes: dict[str, str], message: str, target: str
) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    page = specialist.post(
        url(world.episode(world.person_a)), {**EMPLOYED_OFF_SICK, **changes}
    ).content.decode()
    summary = page.split('nhsuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert message in summary
    assert f'href="{target}' in summary  # the link goes to the answer to correct
    assert 'name="universal_credit" type="radio" value="yes" checked' in page  # kept
    assert not EmploymentRecord.objects.exists()


def test_contradictions_are_listed_beside_missing_answers_in_the_pages_order(
    world: World,
) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    posted = {**EMPLOYED_OFF_SICK, "weekly_hours": "98", "esa": "", "sick_absence": ""}
    page = specialist.post(url(world.episode(world.person_a)), posted).content.decode()
    summary = page.split('nhsuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    found = [
        summary.index(text)
        for text in (
            "not applicable is only for someone not employed",
            "Answer the question: Are they off work sick?",
            "Statutory Sick Pay is paid only to someone off work sick",
            "Answer the question: Do they receive Employment and Support Allowance (ESA)?",
        )
    ]
    assert found == sorted(found)


def test_correcting_keeps_the_earlier_answers_and_checks_the_version(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    assert specialist.post(url(episode), EMPLOYED_OFF_SICK).status_code == 302
    saved = EmploymentRecord.objects.get()
    page = specialist.get(url(episode)).content.decode()
    assert "Recorded on 3 February 2025" in page
    assert 'name="version" value="1"' in page

    corrected = {**EMPLOYED_OFF_SICK, "weekly_hours": "01", "version": "1"}
    assert specialist.post(url(episode), corrected).status_code == 302
    saved.refresh_from_db()
    assert (saved.weekly_hours, saved.version) == ("01", 2)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(saved.pk))
    assert event.changes["fields"] == ["weekly_hours"]
    earlier = EarlierValue.objects.get(event=event, field="weekly_hours")
    assert earlier.value == "16-29 hours"

    stale = {**EMPLOYED_OFF_SICK, "weekly_hours": "03", "version": "1"}
    page = specialist.post(url(episode), stale).content.decode()
    assert "Someone else changed this assessment record" in page
    assert "The assessment record as it is saved now" in page and "30+ hours" in page
    saved.refresh_from_db()
    assert saved.weekly_hours == "01"


def test_a_record_saved_meanwhile_by_someone_else_is_not_overwritten(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    form_opened = specialist.get(url(episode))  # no record yet: the page will create one
    assert 'name="version"' not in form_opened.content.decode()
    with mock.patch(
        "openips.employment.queries.employment_record", return_value=None
    ):  # as if opened before the colleague saved
        services.record_employment(
            world.users[Role.TEAM_LEADER], episode, Moment.ASSESSMENT, values(weekly_hours="01")
        )
        page = specialist.post(url(episode), EMPLOYED_OFF_SICK).content.decode()
    assert "Someone else recorded the assessment while you were working on it" in page
    assert EmploymentRecord.objects.get().weekly_hours == "01"


def test_nothing_is_saved_when_the_audit_cannot_be_written(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    specialist.raise_request_exception = False
    with mock.patch("openips.core.services.record", side_effect=RuntimeError("audit down")):
        response = specialist.post(url(world.episode(world.person_a)), EMPLOYED_OFF_SICK)
    assert response.status_code == 500
    assert not EmploymentRecord.objects.exists()


def test_outsiders_get_404_and_other_roles_403(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    outside = world.episode(world.person_b)
    assert specialist.get(url(outside)).status_code == 404
    assert specialist.post(url(outside), EMPLOYED_OFF_SICK).status_code == 404
    assert specialist.get(url(world.episode(world.person_a), "review")).status_code == 404
    assert not EmploymentRecord.objects.exists()
    for role in (Role.SERVICE_MANAGER, Role.CLINICIAN):
        viewer = signed_in(world.users[role])
        assert viewer.get(url(world.episode(world.person_a))).status_code == 403
    # They see whether it was recorded, without the links.
    record = signed_in(world.users[Role.SERVICE_MANAGER]).get(
        reverse("record:person", args=[world.person_a.pk])
    )
    text = record.content.decode()
    assert "Assessment (not recorded)" in text and url(world.episode(world.person_a)) not in text


def test_the_record_page_reads_the_records_in_a_fixed_number_of_queries(world: World) -> None:
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    first = world.episode(world.person_a)
    specialist = signed_in(actor)
    page = reverse("record:person", args=[world.person_a.pk])
    specialist.get(page)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert specialist.get(page).status_code == 200
        return len(ctx.captured_queries)

    none_recorded = queries()
    services.record_employment(actor, first, Moment.ASSESSMENT, values())
    one = queries()
    first.discharge_date, first.discharge_reason = date(2025, 6, 2), "moved_on_in_work"
    first.save()
    episodes = [first] + [
        Episode.objects.create(
            service=world.service_a,
            person=world.person_a,
            episode_id=f"A001-{n}",
            referral_date=date(2025, 7, n),
            referral_source="self",
            employment_status_at_referral="unemployed",
            **({"discharge_date": date(2025, 8, n)} if n < 4 else {}),
        )
        for n in (2, 3, 4)
    ]
    for e in episodes:
        for moment in Moment:
            if not (e == first and moment == Moment.ASSESSMENT):
                recorded_on = max(e.referral_date, date(2025, 2, 3))
                services.record_employment(actor, e, moment, values(recorded_on=recorded_on))
    assert EmploymentRecord.objects.count() == 8
    every = queries()  # four episodes, each with both records
    assert none_recorded == one == every
    assert specialist.get(page).content.decode().count("(not recorded)") == 0


def test_subject_access_gives_the_records_in_words(world: World) -> None:
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    services.record_employment(
        actor, world.episode(world.person_a), Moment.ASSESSMENT, values(pip=None)
    )
    bundle = rights.bundle(rights.gather(world.person_a))
    [given] = bundle["episodes"][0]["talking_therapies_employment"]
    assert given["moment"] == "assessment" and given["weekly_hours"] == "02"
    assert given["pip"] is None and given["sick_absence"] is True
    ig = signed_in(world.users[Role.IG_LEAD])
    page = ig.get(reverse("governance:subject_access", args=[world.person_a.pk])).content.decode()
    assert "NHS Talking Therapies employment records" in page
    assert "Assessment, recorded 3 February 2025" in page
    assert "16-29 hours" in page and "Not known" in page
