"""How casework reads on any page: who recorded a contact, and a vocational profile's sections."""

from openips.casework.models import Contact

# The sections of a vocational profile, in the order the form and every page show them.
PROFILE_SECTIONS = (
    "preferred_jobs",
    "preferred_hours",
    "preferred_places",
    "work_history",
    "education",
    "skills_and_strengths",
    "barriers",
    "disclosure_preference",
)


def staff_label(contact: Contact) -> str:
    """Who recorded a contact: the member of staff, by name and role."""
    staff = contact.staff
    return f"{staff.name}, {staff.get_role_display()}" if staff.role else staff.name
