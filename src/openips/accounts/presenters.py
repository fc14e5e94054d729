from dataclasses import dataclass

from openips.accounts.models import User


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
