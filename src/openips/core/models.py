"""What the shared services know of the models they write."""

from django.db import models


class Versioned(models.Model):
    """A record whose edits are version-checked (ADR 0005): `core.services.update` and
    `core.editing.versioned_edit` read and raise its `version`. Each model declares the field
    itself, so this base adds no column and no migration."""

    version: int

    class Meta:
        abstract = True
