"""The roles of an IPS service (employment specialists, team leaders, managers, clinicians,
commissioners, fidelity reviewers, IG leads, administrators) and what each may do.

A view names the capability it needs; this table is the one place that says which roles have it.
Which *records* a role sees is a separate question, answered by the scoped queries.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    EMPLOYMENT_SPECIALIST = "employment_specialist", "Employment specialist"
    TEAM_LEADER = "team_leader", "Team leader"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CLINICIAN = "clinician", "Clinician"
    COMMISSIONER = "commissioner", "Commissioner"
    FIDELITY_REVIEWER = "fidelity_reviewer", "Fidelity reviewer"
    IG_LEAD = "ig_lead", "Information governance lead"
    ADMINISTRATOR = "administrator", "Administrator"


class Capability(StrEnum):
    VIEW_CLIENTS = "view_clients"
    VIEW_SERVICES = "view_services"
    RECORD_CASEWORK = "record_casework"
    VIEW_EMPLOYERS = "view_employers"
    REFER_CLIENTS = "refer_clients"  # a clinician refers from their own clinical team
    VIEW_AUDIT = "view_audit"
    DATA_SUBJECT_RIGHTS = "data_subject_rights"
    MANAGE_USERS = "manage_users"
    MANAGE_STAFF = "manage_staff"
    MANAGE_SERVICES = "manage_services"  # how a service is set up: the programme it delivers
    MOVE_SERVICE_DATA = "move_service_data"  # import and export a whole service's records
    VIEW_OUTCOMES = "view_outcomes"  # a service's (or an ES's own) outcome dashboard
    # Aggregates across services with small numbers hidden, and returns.
    VIEW_NETWORK_OUTCOMES = "view_network_outcomes"
    MAKE_RETURNS = "make_returns"
    VIEW_FIDELITY = "view_fidelity"  # reviews and live estimates of the services in scope
    PLAN_REVIEWS = "plan_reviews"
    RATE_REVIEWS = "rate_reviews"  # only on the reviews the user is a reviewer of
    # Two records of one person made one, across the organisation's services (ADR 0021).
    MERGE_RECORDS = "merge_records"
    # Move a client to another specialist's caseload: the team's allocation, not the ES's own.
    REASSIGN_CASELOAD = "reassign_caseload"
    # Set up an approved research study and name who may take its pseudonymised extract. The
    # extract itself is given per person and study (research.StudyAccess), never by role.
    MANAGE_STUDIES = "manage_studies"


CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_CLIENTS: frozenset(
        {
            Role.EMPLOYMENT_SPECIALIST,
            Role.TEAM_LEADER,
            Role.SERVICE_MANAGER,
            Role.CLINICIAN,
            Role.FIDELITY_REVIEWER,
        }
    ),
    Capability.RECORD_CASEWORK: frozenset({Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER}),
    Capability.REFER_CLIENTS: frozenset(
        {Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.CLINICIAN}
    ),
    Capability.VIEW_EMPLOYERS: frozenset(
        {
            Role.EMPLOYMENT_SPECIALIST,
            Role.TEAM_LEADER,
            Role.SERVICE_MANAGER,
            Role.FIDELITY_REVIEWER,
        }
    ),
    Capability.VIEW_SERVICES: frozenset(Role.values),
    Capability.VIEW_AUDIT: frozenset({Role.IG_LEAD}),
    Capability.DATA_SUBJECT_RIGHTS: frozenset({Role.IG_LEAD}),
    Capability.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Capability.MANAGE_STAFF: frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER}),
    Capability.MANAGE_SERVICES: frozenset({Role.ADMINISTRATOR}),
    Capability.MOVE_SERVICE_DATA: frozenset({Role.SERVICE_MANAGER}),
    Capability.VIEW_OUTCOMES: frozenset(
        {
            Role.EMPLOYMENT_SPECIALIST,
            Role.TEAM_LEADER,
            Role.SERVICE_MANAGER,
            Role.FIDELITY_REVIEWER,
        }
    ),
    Capability.VIEW_NETWORK_OUTCOMES: frozenset({Role.COMMISSIONER}),
    Capability.VIEW_FIDELITY: frozenset(
        {
            Role.EMPLOYMENT_SPECIALIST,
            Role.TEAM_LEADER,
            Role.SERVICE_MANAGER,
            Role.FIDELITY_REVIEWER,
        }
    ),
    Capability.PLAN_REVIEWS: frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER}),
    Capability.RATE_REVIEWS: frozenset(
        {Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.FIDELITY_REVIEWER}
    ),
    Capability.MAKE_RETURNS: frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.COMMISSIONER}),
    Capability.MERGE_RECORDS: frozenset({Role.SERVICE_MANAGER}),
    Capability.REASSIGN_CASELOAD: frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER}),
    Capability.MANAGE_STUDIES: frozenset({Role.ADMINISTRATOR}),
}

# Which organisational unit a role's account is attached to (the rest are attached to none).
SCOPE_FIELD: dict[str, str | None] = {
    Role.EMPLOYMENT_SPECIALIST: "service",
    Role.TEAM_LEADER: "service",
    Role.SERVICE_MANAGER: "organisation",
    Role.CLINICIAN: "clinical_team",
    Role.COMMISSIONER: "network",
    Role.FIDELITY_REVIEWER: None,  # time-limited access to the services under review
    Role.IG_LEAD: "organisation",
    Role.ADMINISTRATOR: None,
}
SCOPE_FIELDS = ("network", "organisation", "service", "clinical_team")


def has_capability(role: str, capability: Capability) -> bool:
    return role in CAPABILITIES[capability]


# What opens people's records: lists and records, casework, whole-service exports, the audit trail
# of a person and everything held about them. Managing users is here too, because an
# administrator who could make another administrator could approve their own requests.
GUARDED_CAPABILITIES = frozenset(
    {
        Capability.VIEW_CLIENTS,
        Capability.RECORD_CASEWORK,
        Capability.REASSIGN_CASELOAD,
        Capability.MOVE_SERVICE_DATA,
        Capability.MERGE_RECORDS,
        Capability.VIEW_AUDIT,
        Capability.DATA_SUBJECT_RIGHTS,
        Capability.MANAGE_USERS,
    }
)


def needs_approval(role: str) -> bool:
    """Whether giving an account this role waits for a second administrator (ADR 0015)."""
    return any(has_capability(role, capability) for capability in GUARDED_CAPABILITIES)
