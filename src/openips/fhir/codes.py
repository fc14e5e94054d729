"""The identifier systems, code systems and extension this interface names (docs/fhir.md)."""

from __future__ import annotations

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
IPS_REFERRAL = "1082611000000105"  # referral to an Individual Placement and Support service
IPS_REFERRAL_TEXT = "Referral to Individual Placement and Support (IPS)"

# Ours: an IPS team by its service code, a client by the organisation's client id.
SERVICE_CODE = "https://openips.nhs.uk/Id/service-code"
CLIENT_ID = "https://openips.nhs.uk/Id/client-id"
EMPLOYMENT_STATUS = "https://openips.nhs.uk/CodeSystem/employment-status"
STAGE = "https://openips.nhs.uk/CodeSystem/ips-stage"
CONTACT_PURPOSE = "https://openips.nhs.uk/CodeSystem/contact-purpose"
OBSERVATION = "https://openips.nhs.uk/CodeSystem/ips-observation"
EMPLOYMENT_SUMMARY = "employment-summary"  # the one Observation served, in OBSERVATION
# The one element a referral needs beyond R4's ServiceRequest: the episode requires it.
EMPLOYMENT_AT_REFERRAL = "https://openips.nhs.uk/StructureDefinition/employment-status-at-referral"

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
UCUM = "http://unitsofmeasure.org"

# FHIR's administrative gender and ours, both ways.
GENDER_IN = {"female": "female", "male": "male", "other": "other", "unknown": "not_stated"}
GENDER_OUT = {
    "female": "female",
    "male": "male",
    "non_binary": "other",
    "other": "other",
    "not_stated": "unknown",
}
