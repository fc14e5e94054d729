"""What several apps' models share."""

from django.db import models


class Versioned(models.Model):
    """A record edited in place with a version check: every saved edit raises `version`, and an
    edit that began from an older one is refused (`core.services.update`, ADR 0005)."""

    version = models.PositiveIntegerField(default=1, help_text="Raised by every saved edit")

    class Meta:
        abstract = True
