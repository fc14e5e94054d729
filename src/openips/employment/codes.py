"""Code lists of employment records. Those of NHS Talking Therapies employment records hold the
NHS Data Dictionary's own codes as their values and its wording as their labels, so what is
stored is what the data set carries (docs/talking-therapies.md)."""

from django.db import models


class EndReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    DISMISSED = "dismissed", "Dismissed"
    CONTRACT_ENDED = "contract_ended", "Contract ended"
    LAID_OFF = "laid_off", "Laid off"
    OTHER = "other", "Other"


class Moment(models.TextChoices):
    """When a Talking Therapies employment record is made: one of each per episode."""

    ASSESSMENT = "assessment", "Assessment"
    DISCHARGE = "discharge", "Discharge"


class EmploymentStatus(models.TextChoices):
    """EMPLOYMENT STATUS (EmployStatus),
    https://www.datadictionary.nhs.uk/data_elements/employment_status.html"""

    EMPLOYED = "01", "Employed"
    UNEMPLOYED = "02", "Unemployed and actively seeking work"
    STUDENT = (
        "03",
        (
            "Undertaking full (at least 16 hours per week) or part-time (less than 16 hours per "
            "week) education or training as a student and not working or actively seeking work"
        ),
    )
    LONG_TERM_SICK = (
        "04",
        ("Long-term sick or disabled, those receiving government sickness and disability benefits"),
    )
    HOMEMAKER = (
        "05",
        (
            "Looking after the family or home as a homemaker and not working or actively "
            "seeking work"
        ),
    )
    NOT_RECEIVING_BENEFITS = (
        "06",
        (
            "Not receiving government sickness and disability benefits and not working or actively "
            "seeking work"
        ),
    )
    VOLUNTARY = "07", "Unpaid voluntary work and not working or actively seeking work"
    RETIRED = "08", "Retired"
    NOT_STATED = "ZZ", "Not stated (PERSON asked but declined to provide a response)"


# 02 to 08: not in paid work. ZZ (not stated) is neither employed nor known not to be.
NOT_EMPLOYED = frozenset(EmploymentStatus.values) - {EmploymentStatus.EMPLOYED, "ZZ"}


class WeeklyHoursWorked(models.TextChoices):
    """WEEKLY HOURS WORKED (WeekHoursWorked),
    https://www.datadictionary.nhs.uk/data_elements/weekly_hours_worked.html"""

    FROM_30 = "01", "30+ hours"
    FROM_16 = "02", "16-29 hours"
    FROM_5 = "03", "5-15 hours"
    FROM_1 = "04", "1-4 hours"
    NOT_STATED = "97", "Not stated (PERSON asked but declined to provide a response)"
    NOT_EMPLOYED = "98", "Not applicable (PERSON not employed)"
    NOT_KNOWN = "99", "Number of hours worked not known"


class EmploymentSupportSuitability(models.TextChoices):
    """EMPLOYMENT SUPPORT SUITABILITY INDICATOR (EmpSupportInd), https://www.datadictionary.nhs.uk/
    data_elements/employment_support_suitability_indicator.html"""

    YES = (
        "Y",
        ("Yes - the PATIENT is a suitable candidate for referral to an Employment Support Service"),
    )
    NO = (
        "N",
        (
            "No - the PATIENT is not a suitable candidate for referral to an Employment Support "
            "Service"
        ),
    )
    NOT_APPLICABLE = "NA", "Not Applicable"


# A yes-or-no answer that may not be known: a nullable BooleanField's choices, None for not known.
YES_NO_NOT_KNOWN: list[tuple[bool | None, str]] = [
    (True, "Yes"),
    (False, "No"),
    (None, "Not known"),
]
