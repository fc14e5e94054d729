"""How the users page and requests for access read, from built objects: no database."""

from __future__ import annotations

from datetime import UTC, datetime

from openips.accounts.models import GrantStatus, RoleGrant
from openips.accounts.presenters import GrantRow, UserListPresenter, UserRow, name_and_role
from openips.accounts.roles import Role
from tests.factories import OrganisationFactory, StaffMemberFactory, UserFactory


def test_a_row_names_the_holder_and_the_unit_the_account_is_attached_to() -> None:
    clinician = UserFactory.build(
        role=Role.CLINICIAN, first_name="Cara", last_name="Jones", clinical_team__name="North CMHT"
    )
    row = UserRow(clinician)
    assert (row.name, row.attached_to, row.status) == ("Cara Jones", "North CMHT", "Active")


def test_a_row_says_when_there_is_no_name_or_attachment_and_the_account_is_off() -> None:
    admin = UserFactory.build(role=Role.ADMINISTRATOR, first_name="", last_name="", is_active=False)
    row = UserRow(admin)
    assert (row.name, row.attached_to, row.status) == ("–", "–", "Switched off")


def test_the_list_keeps_the_order_the_query_gave() -> None:
    users = [UserFactory.build(first_name=name) for name in ("Bea", "Al")]
    assert [row.name for row in UserListPresenter(users).rows] == ["Bea Adams", "Al Adams"]


def test_an_account_is_known_by_its_name_as_staff_then_its_own_then_its_username() -> None:
    user = UserFactory.build(first_name="E", last_name="Adams")
    assert name_and_role(user) == "E Adams, Employment specialist"
    StaffMemberFactory.build(user=user, name="Esme Adams")  # linking sets user.staff_member
    assert name_and_role(user) == "Esme Adams, Employment specialist"
    nameless = UserFactory.build(username="x7", first_name="", last_name="")
    assert name_and_role(nameless) == "x7, Employment specialist"
    assert name_and_role(None) == "–"
    assert name_and_role(None, "command line") == "command line"


def grant(**fields: object) -> RoleGrant:
    asked: dict[str, object] = {
        "user": UserFactory.build(username="cjones"),
        "role": Role.SERVICE_MANAGER,
        "organisation": OrganisationFactory.build(name="Trust One"),
        "requested_by": UserFactory.build(username="admin1", role=Role.ADMINISTRATOR),
        # Stored in UTC; shown in London time (GMT in March).
        "requested_at": datetime(2026, 3, 4, 9, 30, tzinfo=UTC),
    }
    return RoleGrant(**(asked | fields))


def test_a_waiting_request_says_who_asked_for_what_and_when() -> None:
    row = GrantRow(grant())
    assert row.account == "cjones"
    assert row.access == "Service manager, Trust One"
    assert row.requested == "admin1, 4 March 2026 at 9:30am"
    assert row.waiting
    assert row.status == "Waiting for approval"


def test_a_decided_request_says_who_decided_and_when_in_london_time() -> None:
    row = GrantRow(
        grant(
            status=GrantStatus.REFUSED,
            decided_by=UserFactory.build(username="admin2", role=Role.ADMINISTRATOR),
            decided_at=datetime(2026, 6, 4, 11, 0, tzinfo=UTC),  # noon in British Summer Time
        )
    )
    assert not row.waiting
    assert row.status == "Refused by admin2, 4 June 2026 at 12:00pm"


def test_a_role_attached_to_nothing_is_named_on_its_own() -> None:
    assert GrantRow(grant(role=Role.ADMINISTRATOR, organisation=None)).access == "Administrator"
