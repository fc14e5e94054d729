from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist

from openips.accounts.models import GrantStatus, RoleGrant, User
from openips.accounts.navigation import Section, sections_for
from openips.accounts.roles import Role
from openips.core.formatting import format_date, format_datetime
from openips.organisations import programmes
from openips.organisations.models import ServiceProgramme


def name_and_role(user: User | None, fallback: str = "") -> str:
    """An account as a reader knows its holder: "Esme Adams, Employment specialist". Their name
    as staff where the account is a member of staff, else the account's name; the username only
    when no name is recorded. Select `staff_member` with the user to keep to one query."""
    if user is None:
        return fallback or "–"
    try:
        staff = user.staff_member
    except ObjectDoesNotExist:
        staff = None
    name = (staff.name if staff else "") or user.get_full_name() or user.username
    return f"{name}, {user.get_role_display()}" if user.role else name


@dataclass
class UserRow:
    user: User

    @property
    def name(self) -> str:
        return self.user.get_full_name() or "–"

    @property
    def attached_to(self) -> str:
        return self.user.scope_label or "–"

    @property
    def status(self) -> str:
        return "Active" if self.user.is_active else "Switched off"


class UserListPresenter:
    def __init__(self, users: list[User]) -> None:
        self.rows = [UserRow(user) for user in users]


@dataclass
class GrantRow:
    """One request for access, as the users page, its own page and the IG lead's list show it."""

    grant: RoleGrant

    @property
    def account(self) -> str:
        return self.grant.user.username

    @property
    def access(self) -> str:
        return self.grant.access

    @property
    def requested(self) -> str:
        return f"{self.grant.requested_by.username}, {format_datetime(self.grant.requested_at)}"

    @property
    def waiting(self) -> bool:
        return self.grant.status == GrantStatus.PENDING

    @property
    def status(self) -> str:
        grant = self.grant
        if grant.decided_by is None:
            return grant.get_status_display()
        when = format_datetime(grant.decided_at)
        return f"{grant.get_status_display()} by {grant.decided_by.username}, {when}"


@dataclass
class HomePresenter:
    user: User

    @property
    def greeting(self) -> str:
        return (
            f"{self.user.first_name or self.user.username}, {self.user.get_role_display().lower()}"
        )

    @property
    def scope(self) -> str:
        return self.user.scope_label

    @property
    def sections(self) -> list[Section]:
        return sections_for(self.user)

    @property
    def refers_from_team(self) -> bool:
        """A clinician refers from their clinical team: the home page offers it first."""
        return self.user.role == Role.CLINICIAN and self.user.clinical_team_id is not None


def programme_names() -> dict[str, str]:
    """Each programme's name by its code, for a list of services read with_programme."""
    return {code: p.name for code, p in programmes.PROGRAMMES.items()}


@dataclass(frozen=True)
class ProgrammeRow:
    programme: str
    applies_from: str
    status: str  # "Planned", "In force" or "Replaced on <date>"
    recorded: str


def programme_history(rows: Iterable[ServiceProgramme], today: date) -> list[ProgrammeRow]:
    """A service's recorded programmes, the latest first (as organisations.queries.history
    reads them), each saying whether it is ahead, in force today, or replaced."""
    found: list[ProgrammeRow] = []
    in_force_seen, replaced_on = False, today
    for row in rows:
        if row.valid_from > today:
            status = "Planned"
        elif not in_force_seen:
            status, in_force_seen = "In force", True
        else:
            status = f"Replaced on {format_date(replaced_on)}"
        recorded = f"{name_and_role(row.recorded_by)}, {format_datetime(row.recorded_at)}"
        found.append(ProgrammeRow(row.rules.name, format_date(row.valid_from), status, recorded))
        replaced_on = row.valid_from
    return found
