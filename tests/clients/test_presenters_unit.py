"""How the client list, the record and merges read, from built objects: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from openips.accounts.roles import Role
from openips.clients.models import Handover, PersonMerge
from openips.clients.presenters import ClientRow, MergeEntry
from openips.record.presenters import ClientRecordPresenter, TimelineEntry, handover_entry, hours
from tests.factories import EpisodeFactory, PersonFactory, StaffMemberFactory, UserFactory

PROFILED = date(2025, 1, 20)


def test_a_client_row_gives_the_stage_of_the_latest_episode() -> None:
    stages = {
        "Referred": {"accepted_date": None},
        "Accepted": {},
        "Job seeking": {"vocational_profile_date": PROFILED},
        "Discharged": {"vocational_profile_date": PROFILED, "discharge_date": date(2025, 6, 2)},
    }
    for stage, fields in stages.items():
        episode = EpisodeFactory.build(**fields)
        assert ClientRow(episode.person, episode).stage == stage


def test_a_client_row_formats_the_nhs_number_and_birthday() -> None:
    episode = EpisodeFactory.build(
        person__nhs_number="9990000018",
        person__date_of_birth=date(1990, 5, 7),
        employment_specialist__name="Raj Patel",
    )
    row = ClientRow(episode.person, episode)
    assert (row.nhs_number, row.born, row.specialist) == ("999 000 0018", "7 May 1990", "Raj Patel")


def test_a_client_row_says_what_is_not_recorded() -> None:
    row = ClientRow(PersonFactory.build(nhs_number=""), None)
    assert (row.nhs_number, row.born, row.stage, row.specialist) == (
        "Not recorded",
        "Not recorded",
        "–",
        "–",
    )
    unallocated = EpisodeFactory.build(employment_specialist=None)
    assert ClientRow(unallocated.person, unallocated).specialist == "–"


def test_a_timeline_entry_is_dated_the_nhs_way() -> None:
    assert TimelineEntry(date(2026, 3, 4), "Referred").when == "4 March 2026"


def test_a_handover_is_dated_by_the_day_in_london() -> None:
    handover = Handover(
        handed_over_at=datetime(2026, 6, 4, 23, 30, tzinfo=UTC),  # 12:30am on 5 June in BST
        from_staff=StaffMemberFactory.build(name="Esme Adams"),
        to_staff=StaffMemberFactory.build(name="Raj Patel"),
        by=UserFactory.build(role=Role.TEAM_LEADER, first_name="Tia", last_name="Lee"),
    )
    entry = handover_entry(handover)
    assert entry.when == "5 June 2026"
    assert entry.title == "Handed over from Esme Adams to Raj Patel"
    assert entry.detail == "By Tia Lee, Team leader"
    handover.from_staff = None
    assert handover_entry(handover).title == "Handed over from nobody to Raj Patel"


def test_hours_are_said_in_the_singular_for_one() -> None:
    assert hours(Decimal("1.00")) == "1 hour a week"
    assert hours(Decimal("16.00")) == "16 hours a week"
    assert hours(None) == ""


def test_a_clinicians_summary_leaves_out_the_persons_own_details() -> None:
    person = PersonFactory.build(
        client_id="C00007",
        service__name="Leeds IPS",
        nhs_number="9990000018",
        date_of_birth=date(1990, 5, 17),
        gender="female",
    )
    ips_team = ClientRecordPresenter(person, [], UserFactory.build())
    assert not ips_team.summary_only
    assert dict(ips_team.details) == {
        "Client ID": "C00007 (Leeds IPS)",
        "NHS number": "999 000 0018",
        "Date of birth": "17 May 1990",
        "Gender": "Female",
        "Ethnicity": "Not recorded",
    }
    clinician = ClientRecordPresenter(person, [], UserFactory.build(role=Role.CLINICIAN))
    assert clinician.summary_only
    assert clinician.details == [("Client ID", "C00007 (Leeds IPS)")]
    assert clinician.contact_details == []


def test_what_the_record_offers_follows_the_role() -> None:
    def offers(role: str) -> tuple[bool, bool, bool]:
        record = ClientRecordPresenter(PersonFactory.build(), [], UserFactory.build(role=role))
        return record.can_record, record.can_reassign, record.can_merge

    assert offers(Role.EMPLOYMENT_SPECIALIST) == (True, False, False)
    assert offers(Role.TEAM_LEADER) == (True, True, False)
    assert offers(Role.SERVICE_MANAGER) == (False, True, True)
    assert offers(Role.CLINICIAN) == (False, False, False)
    switched_off = UserFactory.build(role=Role.TEAM_LEADER, is_active=False)
    assert not ClientRecordPresenter(PersonFactory.build(), [], switched_off).can_record


def test_only_those_who_merge_are_offered_to_undo_a_merge() -> None:
    kept = PersonFactory.build()
    merge = PersonMerge(
        kept=kept,
        duplicate=PersonFactory.build(client_id="C00042"),
        merged_at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
    )
    assert MergeEntry(merge).text == "Client C00042 was merged into this record on 4 March 2026"
    manager = UserFactory.build(role=Role.SERVICE_MANAGER)
    shown = ClientRecordPresenter(kept, [], manager, merges=[merge]).undoable_merges
    assert shown == [MergeEntry(merge)]
    specialist = UserFactory.build()
    assert ClientRecordPresenter(kept, [], specialist, merges=[merge]).undoable_merges == []


def test_the_headline_of_a_discharge_or_a_new_acceptance() -> None:
    headline = ClientRecordPresenter.headline
    accepted = EpisodeFactory.build()
    assert headline(accepted, []) == ("Accepted on 8 January 2025, vocational profile not started")
    gone = EpisodeFactory.build(discharge_date=date(2025, 6, 2), discharge_reason="moved_away")
    assert headline(gone, []) == "Discharged on 2 June 2025: moved away"
    gone.discharge_reason = ""
    assert headline(gone, []) == "Discharged on 2 June 2025"


def test_the_specialist_comes_with_their_work_email_when_recorded() -> None:
    episode = EpisodeFactory.build(
        employment_specialist__name="Raj Patel",
        employment_specialist__work_email="raj.patel@example.nhs.uk",
    )
    assert ClientRecordPresenter.specialist(episode) == [
        ("Employment specialist", "Raj Patel"),
        ("Work email", "raj.patel@example.nhs.uk"),
    ]


def test_a_merge_is_dated_on_the_day_it_was_in_england() -> None:
    """Just after midnight in summer is still the previous day in UTC."""
    merge = PersonMerge(
        kept=PersonFactory.build(),
        duplicate=PersonFactory.build(client_id="C000077"),
        merged_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # 00:30 on 1 July in London
    )
    assert MergeEntry(merge).text.endswith("on 1 July 2026")
