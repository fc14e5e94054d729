"""How the record and the subject access document word things, without a database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.casework.models import Contact, VocationalProfile
from openips.casework.presenters import staff_label
from openips.clients.models import Episode, Person
from openips.employment.models import Employer, Job
from openips.governance.subject_access import ContactView, rows, scenario_rows, shown
from openips.organisations.models import StaffMember
from openips.record.presenters import ClientRecordPresenter, ProfileView, hours, job_headline


def es() -> StaffMember:
    return StaffMember(name="Esme Adams", role="employment_specialist", work_phone="0115 496 0000")


def job(**extra: object) -> Job:
    return Job(
        job_title="Barista",
        employer=Employer(name="Bean Co"),
        start_date=date(2026, 3, 4),
        competitive=True,
        **extra,  # type: ignore[arg-type]
    )


def test_a_job_reads_as_one_line_with_its_hours() -> None:
    assert (
        job_headline(job(hours_per_week=Decimal("16.00")))
        == "In work at Bean Co as Barista since 4 March 2026, 16 hours a week"
    )
    assert job_headline(job()) == "In work at Bean Co as Barista since 4 March 2026"
    assert hours(Decimal("7.50")) == "7.5 hours a week"


def test_a_contact_is_recorded_by_a_named_member_of_staff_with_their_role() -> None:
    contact = Contact(staff=es())
    assert staff_label(contact) == "Esme Adams, Employment specialist"


def test_the_profile_shows_every_section_by_its_label() -> None:
    user = User(username="esme1", first_name="Esme", last_name="Adams", role=Role.TEAM_LEADER)
    profile = VocationalProfile(
        version=3,
        preferred_jobs="Gardening\nor parks",
        recorded_by=user,
        recorded_at=datetime(2026, 3, 1, 14, 5, tzinfo=ZoneInfo("Europe/London")),
    )
    view = ProfileView(profile)
    sections = dict(view.sections)
    assert sections["Types of job wanted"] == "Gardening\nor parks"
    assert sections["What gets in the way"] == "Not recorded yet"
    assert len(sections) == 8
    assert view.saved == "Version 3, saved by Esme Adams, Team leader on 1 March 2026 at 2:05pm"


def test_the_headline_says_where_the_person_is_now() -> None:
    episode = Episode(
        referral_date=date(2026, 1, 5),
        accepted_date=date(2026, 1, 7),
        vocational_profile_date=date(2026, 1, 20),
    )
    headline = ClientRecordPresenter.headline
    assert headline(episode, []) == "Looking for work since 20 January 2026"
    assert headline(episode, [job()]).startswith("In work at Bean Co")
    assert headline(Episode(referral_date=date(2026, 1, 5)), []) == (
        "Referred on 5 January 2026, not yet accepted"
    )


def test_the_specialist_comes_with_their_work_phone_when_recorded() -> None:
    rows_ = ClientRecordPresenter.specialist(Episode(employment_specialist=es()))
    assert rows_ == [("Employment specialist", "Esme Adams"), ("Work phone", "0115 496 0000")]
    assert ClientRecordPresenter.specialist(Episode()) == [
        ("Employment specialist", "Not allocated")
    ]


def test_the_ips_team_sees_how_to_reach_the_person_and_a_clinician_does_not() -> None:
    person = Person(phone="07700 900123", preferred_contact="text_message", message_consent=True)
    presenter = ClientRecordPresenter(person, [], User(role=Role.EMPLOYMENT_SPECIALIST))
    details = dict(presenter.contact_details)
    assert details["Phone"] == "07700 900123"
    assert details["Email"] == "Not recorded"
    assert details["Preferred contact"] == "Text message"
    assert details["Consent to receive messages"] == "Yes"
    assert ClientRecordPresenter(person, [], User(role=Role.CLINICIAN)).contact_details == []


def test_subject_access_shows_labels_and_meanings_never_codes() -> None:
    contact = Contact(
        staff=es(),
        date=date(2025, 2, 3),
        contact_with="client",
        mode="face_to_face",
        setting="community",
        purpose="benefits_counselling",
        attended=False,
        notes="  Rang to rearrange\n",
    )
    view = ContactView(contact)
    shown_rows = dict(view.rows)
    assert shown_rows["How"] == "Face to face"
    assert shown_rows["Where"] == "In the community"
    assert shown_rows["Did it happen"] == "No"
    assert shown_rows["Minutes"] == "Not recorded"
    assert shown_rows["Recorded by"] == "Esme Adams, Employment specialist"
    assert view.title == "3 February 2025: Benefits counselling"
    assert view.notes == "Rang to rearrange"
    text = repr(view.rows)
    for code in ("face_to_face", "community", "benefits_counselling", "None", "False"):
        assert f"'{code}'" not in text


def test_subject_access_labels_the_person_and_formats_their_number() -> None:
    person = Person(client_id="A1", nhs_number="9990000018", gender="female", given_name="Ada")
    about = dict(rows(person, ["client_id", "nhs_number", "gender", "date_of_birth"]))
    assert about == {
        "Client ID": "A1",
        "NHS number": "999 000 0018",
        "Gender": "Female",
        "Date of birth": "Not recorded",
    }


def test_an_estimates_entries_are_shown_by_the_questions_asked() -> None:
    entered = dict(scenario_rows({"household": "single", "savings": "", "gone": "x"}))
    assert entered == {"Who is on the Universal Credit claim?": "The client on their own"}
    assert shown(Decimal("16.50")) == "16.5" and shown(True) == "Yes"


def test_who_looked_is_told_in_words() -> None:
    from openips.audit.models import AuditEvent
    from openips.governance.subject_access import AccessRow

    viewed = AuditEvent(action="view", object_label="Person", actor_label="command line")
    assert (AccessRow(viewed).what, AccessRow(viewed).who) == ("Viewed your record", "command line")
    made = AuditEvent(action="create", object_label="Job change", actor=User(username="x1"))
    assert AccessRow(made).what == "Created: job change"
