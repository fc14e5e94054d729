"""What the FHIR interface keeps of its own: which sender's referral became which episode."""

from __future__ import annotations

from django.db import models

from openips.core import rules


class InboundReferral(models.Model):
    """A ServiceRequest received, by the identifier its sender gave it: the key that makes
    posting it again answer with the same referral instead of making another (ADR 0032). The
    key is the organisation's: its senders name their own systems, and two trusts' systems may
    name theirs alike. The sender's identifier names their order, not the person; nothing else
    of the request is kept here (the person and the episode hold what was taken from it)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    identifier_system = models.CharField(max_length=200, validators=[rules.TEXT])
    identifier_value = models.CharField(max_length=100, validators=[rules.TEXT])
    episode = models.OneToOneField(
        "clients.Episode", on_delete=models.PROTECT, related_name="inbound_referral"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "identifier_system", "identifier_value"],
                name="inbound_referral_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.identifier_value}"
