"""Code lists of people and episodes, shared with the interchange format (interchange/schema.py)."""

from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class Ethnicity(models.TextChoices):
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT_MESSAGE = "text_message", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class ReferralSource(models.TextChoices):
    SECONDARY_MENTAL_HEALTH = "secondary_mental_health", "Secondary mental health services"
    PRIMARY_CARE = "primary_care", "Primary care or GP"
    TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies"
    SELF = "self", "Self-referral"
    DWP = "dwp", "DWP or Jobcentre Plus"
    OTHER = "other", "Other"


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", "Unemployed"
    ECONOMICALLY_INACTIVE = "economically_inactive", "Economically inactive"
    EMPLOYED = "employed", "Employed (job retention)"


class RetentionStatus(models.TextChoices):
    """Where a client employed at referral stands with their job (clients.RetentionChange)."""

    AT_RISK = "at_risk", "At risk (off sick or struggling)"
    BACK_AT_WORK = "back_at_work", "Back at work"
    ADJUSTED_ROLE = "adjusted_role", "In an adjusted role"
    LEFT = "left", "Left the job"


class DischargeReason(models.TextChoices):
    MOVED_ON_IN_WORK = "moved_on_in_work", "Moved on in work"
    NO_LONGER_WANTS_WORK = "no_longer_wants_work", "No longer wants work"
    DISENGAGED = "disengaged", "Disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    TRANSFERRED = "transferred", "Transferred"
    DECLINED_BEFORE_ENGAGEMENT = "declined_before_engagement", "Declined before engagement"
    OTHER = "other", "Other"


class StaySetting(models.TextChoices):
    """Where a hospital stay was (interchange admissions.csv): only mental-health inpatient
    stays count in hospital use before and during IPS."""

    MENTAL_HEALTH_INPATIENT = "mental_health_inpatient", "Mental health inpatient"
    OTHER_INPATIENT = "other_inpatient", "Other inpatient"


class MeasureCode(models.TextChoices):
    """The client-reported outcome measures whose totals are held (clients.measures)."""

    REQOL_10 = "reqol_10", "ReQoL-10"
    SWEMWBS = "swemwbs", "SWEMWBS"
    CORE_10 = "core_10", "CORE-10"
    DIALOG = "dialog", "DIALOG"
