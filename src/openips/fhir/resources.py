"""Our records as FHIR R4 resources, each checked by its `fhir.resources` model as it is built.
What a clinician's team sees is the record page's employment summary: no notes, and (for a
clinician) none of the person's own details beyond their name and client id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from openips.casework.codes import Mode, Setting
from openips.casework.models import Contact
from openips.clients.models import Episode, Person, RetentionChange
from openips.clients.presenters import retention_now
from openips.clients.stages import RETENTION_STAGES, Stage
from openips.employment.models import Job
from openips.fhir import codes, statuses
from openips.fhir.models import InboundReferral
from openips.organisations.models import Service
from openips.record.presenters import ClientRecordPresenter

IPS = {"text": "Individual Placement and Support (IPS)"}


def ref(kind: str, pk: int | None) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def team(service: Service) -> dict[str, Any]:
    """The IPS team, by its service code."""
    return {
        "identifier": {"system": codes.SERVICE_CODE, "value": service.code},
        "display": service.name,
    }


def patient(person: Person, *, summary_only: bool) -> Patient:
    identifiers = [{"system": codes.CLIENT_ID, "value": person.client_id}]
    data: dict[str, Any] = {"resourceType": "Patient", "id": str(person.pk), "active": True}
    name = {"family": person.family_name, "given": [person.given_name] if person.given_name else []}
    data["name"] = (
        [{k: v for k, v in name.items() if v}] if person.family_name or person.given_name else None
    )
    if not summary_only:
        if person.nhs_number:
            identifiers.insert(0, {"system": codes.NHS_NUMBER, "value": person.nhs_number})
        if person.date_of_birth:
            data["birthDate"] = person.date_of_birth.isoformat()
        if person.gender:
            data["gender"] = codes.GENDER_OUT[person.gender]
    data["identifier"] = identifiers
    data["managingOrganization"] = {"display": person.service.name}
    return Patient.model_validate({k: v for k, v in data.items() if v is not None})


def service_request(episode: Episode, inbound: InboundReferral | None) -> ServiceRequest:
    data: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(episode.pk),
        "status": statuses.service_request_status(episode),
        "intent": "order",
        "code": {
            "coding": [{"system": codes.SNOMED, "code": codes.IPS_REFERRAL}],
            "text": codes.IPS_REFERRAL_TEXT,
        },
        "subject": ref("Patient", episode.person_id),
        "authoredOn": episode.referral_date.isoformat(),
        "performer": [team(episode.service)],
        "extension": [employment_at_referral(episode.employment_status_at_referral)],
    }
    if inbound is not None:  # received over FHIR: the sender's identifier and requester
        data["identifier"] = [
            {"system": inbound.identifier_system, "value": inbound.identifier_value}
        ]
        if episode.care_coordinator:
            data["requester"] = {"display": episode.care_coordinator}
    return ServiceRequest.model_validate(data)


def employment_at_referral(status: str) -> dict[str, Any]:
    return {
        "url": codes.EMPLOYMENT_AT_REFERRAL,
        "valueCoding": {"system": codes.EMPLOYMENT_STATUS, "code": status},
    }


def stage_concept(stage: Stage) -> dict[str, Any]:
    return {"coding": [{"system": codes.STAGE, "code": stage.value, "display": stage.label}]}


def task(episode: Episode, *, in_work: bool) -> Task:
    state = statuses.task_state(episode, in_work=in_work)
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(episode.pk),
        "basedOn": [ref("ServiceRequest", episode.pk)],
        "focus": ref("ServiceRequest", episode.pk),
        "status": state.status,
        "businessStatus": stage_concept(state.stage),
        "intent": "order",
        "code": {"coding": [{"system": codes.TASK_CODE, "code": "fulfill"}]},
        "for": ref("Patient", episode.person_id),
        "authoredOn": episode.referral_date.isoformat(),
        "lastModified": state.since.isoformat(),
        "owner": team(episode.service),
    }
    if state.reason:
        data["statusReason"] = {"text": state.reason}
    if episode.accepted_date:
        data["executionPeriod"] = period(episode.accepted_date, episode.discharge_date)
    return Task.model_validate(data)


def period(start: Any, end: Any = None) -> dict[str, str]:
    return {"start": start.isoformat(), **({"end": end.isoformat()} if end else {})}


def episode_of_care(episode: Episode) -> EpisodeOfCare:
    history = [
        {
            "status": "waitlist",
            "period": period(
                episode.referral_date, episode.accepted_date or episode.discharge_date
            ),
        }
    ]
    if episode.accepted_date:
        history.append(
            {"status": "active", "period": period(episode.accepted_date, episode.discharge_date)}
        )
    es = episode.employment_specialist
    data: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "id": str(episode.pk),
        "status": statuses.episode_of_care_status(episode),
        "statusHistory": history,
        "type": [IPS],
        "patient": ref("Patient", episode.person_id),
        "managingOrganization": {"display": episode.service.name},
        "period": period(episode.referral_date, episode.discharge_date),
        "referralRequest": [ref("ServiceRequest", episode.pk)],
    }
    if es is not None:
        data["careManager"] = {"display": es.name}
    return EpisodeOfCare.model_validate(data)


def encounter_class(contact: Contact) -> dict[str, str]:
    """Face to face in the office or clinic is ambulatory, elsewhere in the field; anything at a
    distance (phone, video, a message) virtual."""
    if contact.mode != Mode.FACE_TO_FACE:
        return {"system": codes.ACT_CODE, "code": "VR", "display": "virtual"}
    if contact.setting == Setting.OFFICE:
        return {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"}
    return {"system": codes.ACT_CODE, "code": "FLD", "display": "field"}


def encounter(contact: Contact) -> Encounter:
    episode = contact.episode
    if episode is None:  # the queries read contacts with a client only
        raise ValueError("A contact with no client is no encounter")
    data: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(contact.pk),
        "status": "finished" if contact.attended else "cancelled",
        "class": encounter_class(contact),
        "type": [
            {
                "coding": [
                    {
                        "system": codes.CONTACT_PURPOSE,
                        "code": contact.purpose,
                        "display": contact.get_purpose_display(),
                    }
                ],
                "text": f"{contact.get_purpose_display()} ({contact.get_mode_display().lower()})",
            }
        ],
        "serviceType": IPS,
        "subject": ref("Patient", episode.person_id),
        "episodeOfCare": [ref("EpisodeOfCare", episode.pk)],
        "participant": [{"individual": {"display": contact.staff.name}}],
        "period": {"start": contact.date.isoformat()},
        "serviceProvider": {"display": episode.service.name},
    }
    if contact.minutes is not None:
        data["length"] = {
            "value": contact.minutes,
            "unit": "min",
            "system": codes.UCUM,
            "code": "min",
        }
    return Encounter.model_validate(data)


def latest_change(episode: Episode) -> RetentionChange | None:
    """The latest change in work as `fhir.queries.episodes` annotated it, unsaved: its status
    and date are all the line that says where the person stands reads."""
    status = getattr(episode, "latest_retention", None)
    date = getattr(episode, "latest_retention_date", None)
    return RetentionChange(status=status, date=date) if status and date else None


def observation(episode: Episode, jobs: Sequence[Job]) -> Observation:
    """The employment summary of one episode, as its record page words it for a clinical team:
    the stage, and the line that says where the person is now (a job's employer, title and
    hours; looking for work since …)."""
    current = sorted((j for j in jobs if not j.end_date), key=lambda j: j.start_date, reverse=True)
    stage = statuses.stage(episode, in_work=bool(current))
    retention = stage in RETENTION_STAGES.values()
    since = {
        Stage.REFERRED: episode.referral_date,
        Stage.ACCEPTED: episode.accepted_date,
        Stage.JOB_SEEKING: episode.vocational_profile_date,
        Stage.IN_WORK: current[0].start_date if current else None,
        Stage.DISCHARGED: episode.discharge_date,
    }.get(stage) or (statuses.retention_since(episode) if retention else None)
    headline = ClientRecordPresenter.headline(episode, current)
    if retention and not current:  # the job they were helped to keep may not be recorded
        headline = retention_now(episode, latest_change(episode))
    concept = stage_concept(stage) | {"text": headline}
    return Observation.model_validate(
        {
            "resourceType": "Observation",
            "id": str(episode.pk),
            "status": "final",
            "category": [
                {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "social-history"}]}
            ],
            "code": {
                "coding": [
                    {
                        "system": codes.OBSERVATION,
                        "code": codes.EMPLOYMENT_SUMMARY,
                        "display": "IPS employment summary",
                    }
                ],
                "text": "Employment (IPS)",
            },
            "subject": ref("Patient", episode.person_id),
            "effectiveDateTime": (since or episode.referral_date).isoformat(),
            "valueCodeableConcept": concept,
            "performer": [{"display": episode.service.name}],
        }
    )


def bundle(entries: Sequence[tuple[str, Resource]], self_url: str) -> Bundle:
    """A searchset: every match, each with its full address (one page: searches name one
    person, so what they find is bounded by that person's records)."""
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(entries),
            "link": [{"relation": "self", "url": self_url}],
            "entry": [
                {
                    "fullUrl": url,
                    "resource": r.model_dump(mode="json", exclude_none=True),
                    "search": {"mode": "match"},
                }
                for url, r in entries
            ],
        }
    )
