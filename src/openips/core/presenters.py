"""What the home page shows each role."""

from dataclasses import dataclass

from django.conf import settings

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.core.navigation import Section, sections_for


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

    @property
    def two_factor_relaxed(self) -> bool:
        return not settings.OTP_REQUIRED
