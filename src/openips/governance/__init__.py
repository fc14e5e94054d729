"""The information-governance pages, on the floor above the records they look across: the audit
trail of a person or a user, subject access, anonymisation after the retention period, and the
IG lead's view of access requests. The trail itself is recorded by `openips.audit`, below
every app."""
