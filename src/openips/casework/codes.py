from django.db import models


class ContactWith(models.TextChoices):
    CLIENT = "client", "Client"
    EMPLOYER = "employer", "Employer"
    CLINICAL_TEAM = "clinical_team", "Clinical team"
    DWP = "dwp", "DWP or Jobcentre Plus"
    FAMILY = "family", "Family or carer"
    OTHER = "other", "Other"


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


# A direct contact as NHS England counts access (MHSDS ConsMechanismMH 01, 02, 11): a text
# message or an email is not one.
DIRECT_MODES = (Mode.FACE_TO_FACE, Mode.PHONE, Mode.VIDEO)


class Setting(models.TextChoices):
    COMMUNITY = "community", "In the community"
    OFFICE = "office", "In the office or clinic"


class Purpose(models.TextChoices):
    ENGAGEMENT = "engagement", "Engagement"
    VOCATIONAL_PROFILE = "vocational_profile", "Vocational profile"
    BENEFITS_COUNSELLING = "benefits_counselling", "Benefits counselling"
    DISCLOSURE = "disclosure", "Disclosure discussion"
    JOB_SEARCH = "job_search", "Job search"
    JOB_DEVELOPMENT = "job_development", "Job development"
    IN_WORK_SUPPORT = "in_work_support", "In-work support"
    MDT_MEETING = "mdt_meeting", "MDT meeting"
    OUTREACH = "outreach", "Outreach"
    OTHER = "other", "Other"


class DeletionReason(models.TextChoices):
    WRONG_PERSON = "wrong_person", "Recorded against the wrong person"
    DUPLICATE = "duplicate", "Duplicate"
    DID_NOT_HAPPEN = "did_not_happen", "Did not happen"
    OTHER = "other", "Other"


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"
