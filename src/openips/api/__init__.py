"""The REST API at /api/v1/, on the floor above every app whose records it serves.

`urls.py` builds the one NinjaAPI from a router per kind of record (episodes, contacts,
employment, staff). Each router module describes its records as `resources.Resource`s, which
give every kind the same list, read, create and update endpoints; `base.py` holds what they
share (sign-in, the role check, pages and the audit of reads). Writes go through
`writes.py`, the same checks as an import, one record at a time.
"""
