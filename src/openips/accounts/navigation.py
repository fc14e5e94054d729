"""The sections of the service, and which of them a signed-in user's role reaches."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from openips.accounts.roles import Capability


@dataclass(frozen=True)
class Section:
    title: str
    url_name: str
    capability: Capability
    description: str


SECTIONS = (
    Section(
        "Caseload",
        "casework:caseload",
        Capability.RECORD_CASEWORK,
        "Your clients, what each needs next, and the team's caseload",
    ),
    Section(
        "Clients",
        "clients:list",
        Capability.VIEW_CLIENTS,
        "People referred to the service, their episodes and progress",
    ),
    Section(
        "Employers",
        "casework:employers",
        Capability.VIEW_EMPLOYERS,
        "The employers the team works with, their job leads and the contacts with them",
    ),
    Section(
        "Outcomes",
        "outcomes:index",
        Capability.VIEW_OUTCOMES,
        "Referrals, jobs and how long they last, against the IPS benchmarks",
    ),
    Section(
        "Fidelity",
        "fidelity:index",
        Capability.VIEW_FIDELITY,
        "IPS-25 reviews, their action plans, and live estimates from the records",
    ),
    Section(
        "Network outcomes",
        "outcomes:network",
        Capability.VIEW_NETWORK_OUTCOMES,
        "Every service's outcomes side by side, and the quarterly returns",
    ),
    Section(
        "Returns",
        "outcomes:returns",
        Capability.MAKE_RETURNS,
        "The IPS Grow quarterly return and the IPS access count, as CSV or a workbook",
    ),
    Section(
        "Services",
        "accounts:services",
        Capability.VIEW_SERVICES,
        "The IPS services, their employment specialists and clinical teams",
    ),
    Section(
        "Audit trail",
        "governance:search",
        Capability.VIEW_AUDIT,
        "Who viewed, changed or exported a person's record, and what a user accessed",
    ),
    Section(
        "Research studies",
        "research:studies",
        Capability.MANAGE_STUDIES,
        "Approved studies, who may take their pseudonymised extracts, and when",
    ),
    Section(
        "Users",
        "accounts:users",
        Capability.MANAGE_USERS,
        "Accounts, roles and what each account is attached to",
    ),
)


def sections_for(user: object) -> list[Section]:
    can = getattr(user, "can", None)
    return [s for s in SECTIONS if can is not None and can(s.capability)]


def navigation_items(request: HttpRequest) -> list[dict[str, object]]:
    items = []
    for section in sections_for(request.user):
        href = reverse(section.url_name)
        items.append(
            {
                "href": href,
                "text": section.title,
                "current": request.path == href,
                "active": request.path.startswith(href) and request.path != href,
            }
        )
    return items
