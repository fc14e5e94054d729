"""The REST API at /api/v1/, on the floor above every app whose records it serves.

`urls.py` builds the one NinjaAPI from a router per kind of record (episodes, contacts,
employment, staff); `base.py` holds what every router shares. Writes go through
`openips.interchange.api`, the same checks as an import, one record at a time.
"""
