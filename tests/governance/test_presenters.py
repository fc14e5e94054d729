"""How a line of the audit trail reads, from built objects: no database."""

from __future__ import annotations

from datetime import UTC, datetime

from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.governance.presenters import EventRow
from tests.factories import StaffMemberFactory, UserFactory


def event(**fields: object) -> AuditEvent:
    return AuditEvent(
        occurred_at=datetime(2026, 3, 4, 14, 5, tzinfo=UTC),
        object_label="Episode EP00001",
        **fields,
    )


def test_an_edit_says_who_changed_which_fields_and_what_they_were() -> None:
    specialist = UserFactory.build(username="esme1")
    StaffMemberFactory.build(user=specialist, name="Esme Adams")
    row = EventRow(
        event(
            action=AuditAction.UPDATE,
            actor=specialist,
            actor_label="esme1",
            changes={"fields": ["accepted_date", "care_coordinator"]},
            ip_address="192.0.2.7",
        ),
        client_id="C00001",
        earlier=[
            EarlierValue(label="Date accepted", value="4 March 2026"),
            EarlierValue(label="Care coordinator", value=""),
        ],
    )
    assert row.when == "4 March 2026 at 2:05pm"
    assert row.who == "Esme Adams, Employment specialist"
    assert row.what == "Changed"
    assert row.record == "Episode EP00001 (C00001)"
    assert row.changed_fields == "Accepted date, Care coordinator"
    assert row.history == [
        "Changed Date accepted: was 4 March 2026",
        "Changed Care coordinator: was empty",
    ]
    assert row.where_from == "192.0.2.7"


def test_a_deletion_gives_its_reason_then_what_the_record_said() -> None:
    row = EventRow(
        event(action=AuditAction.DELETE, actor_label="command line"),
        earlier=[EarlierValue(label="Purpose", value="Engagement")],
        deletion="Duplicate",
    )
    assert row.who == "command line"  # no account: the label recorded at the time
    assert row.what == "Deleted"
    assert row.history == ["Reason: Duplicate", "Purpose: was Engagement"]
    # The reader may not see the person: no client id beside the record.
    assert row.record == "Episode EP00001"
    assert row.where_from == "–"


def test_what_was_not_recorded_is_a_dash() -> None:
    row = EventRow(AuditEvent(action=AuditAction.SIGN_IN_FAILED))
    assert (row.who, row.record, row.changed_fields, row.history) == ("–", "–", "–", [])
    assert row.what == "Sign-in failed"
