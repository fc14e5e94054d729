"""How casework reads on any page: who recorded a contact."""

from openips.casework.models import Contact


def staff_label(contact: Contact) -> str:
    """Who recorded a contact: the member of staff, by name and role."""
    staff = contact.staff
    return f"{staff.name}, {staff.get_role_display()}" if staff.role else staff.name
