from django.db import models


class EndReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    DISMISSED = "dismissed", "Dismissed"
    CONTRACT_ENDED = "contract_ended", "Contract ended"
    LAID_OFF = "laid_off", "Laid off"
    OTHER = "other", "Other"
