"""Talking Therapies employment records for reporting: a service's assessment and discharge
records of a period, read in one query and written as a CSV in the NHS Talking Therapies data
set's field names and codes (docs/talking-therapies.md). For the command line: the read is the
whole service's, like the other exports."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.db.models import QuerySet

from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.core.spreadsheets import guard
from openips.employment.codes import EmploymentStatus
from openips.employment.models import EmploymentRecord
from openips.organisations.models import Service

CHUNK = 2000
# The data set's employment status table (IDS004EmpStatus), as far as the record holds it: it
# has no jobseeker's allowance or other-benefit answers (JSAInd, OtherBenefitInd). The person
# and the referral are named by their local identifiers.
COLUMNS = [
    "LocalPatientId",
    "ServiceRequestId",
    "EmployStatus",
    "EmployStatusRecDate",
    "WeekHoursWorked",
    "SelfEmployInd",
    "SickAbsenceInd",
    "SSPInd",
    "BenefitRecInd",
    "ESAInd",
    "UCInd",
    "PIPInd",
    "EmpSupportInd",
    "EmpSupportReferral",
    "EmpSupportDischargeDate",
]
# How a yes-or-no answer (None: not known) is coded. SELF EMPLOYED INDICATOR and SICKNESS
# ABSENCE INDICATOR: Y, N, Z not stated, and the default codes X not known and 8 not applicable
# (unemployed). The Statutory Sick Pay and benefit indicators (SSPInd, BenefitRecInd, ESAInd,
# UCInd, PIPInd): Y, N, U unknown (asked and does not know or is not sure), Z not stated. Z is
# never written: a client who declines to say is recorded as not known.
EMPLOYMENT_INDICATOR = {True: "Y", False: "N", None: "X"}
NOT_APPLICABLE = "8"
INDICATOR = {True: "Y", False: "N", None: "U"}


def records_for(service: Service, start: date, end: date) -> QuerySet[EmploymentRecord]:
    """The assessment and discharge records of the service's episodes recorded from `start` to
    `end`, each episode's assessment first: one query, with the person and episode joined."""
    return (
        EmploymentRecord.objects.filter(
            episode__service=service, recorded_on__gte=start, recorded_on__lte=end
        )
        .select_related("episode__person")
        .order_by("episode__episode_id", "moment", "pk")  # "assessment" sorts before "discharge"
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def row(r: EmploymentRecord) -> list[str]:
    episode = r.episode
    employed = r.employment_status == EmploymentStatus.EMPLOYED

    def if_employed(answer: bool | None) -> str:
        return EMPLOYMENT_INDICATOR[answer] if employed else NOT_APPLICABLE

    # Ids keep to safe characters, but records older than that rule (ADR 0016) may not.
    return [
        guard(episode.person.client_id),
        guard(episode.episode_id),
        r.employment_status,
        _day(r.recorded_on),
        r.weekly_hours,
        if_employed(r.self_employed),
        if_employed(r.sick_absence),
        INDICATOR[r.statutory_sick_pay],
        INDICATOR[r.benefits_received],
        INDICATOR[r.esa],
        INDICATOR[r.universal_credit],
        INDICATOR[r.pip],
        r.employment_support_suitable,
        # The employment adviser's referral is the episode: its dates are the support's.
        _day(episode.referral_date),
        _day(episode.discharge_date),
    ]


def rows(service: Service, start: date, end: date) -> Iterator[list[str]]:
    """The header, then one row per record, streamed from the one query."""
    yield COLUMNS
    for r in records_for(service, start, end).iterator(chunk_size=CHUNK):
        yield row(r)


def to_file(service: Service, start: date, end: date, target: Path) -> int:
    """Write the CSV beside `target` and move it into place once complete, so a failed export
    leaves no partial file; audited as an export. The number of records written."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    count = -1
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".tt-employment-") as work:
        written = Path(work) / target.name
        with written.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            for count, line in enumerate(rows(service, start, end)):  # noqa: B007
                writer.writerow(line)
        written.replace(target)  # the same file system: the move is atomic
    record(
        AuditAction.EXPORT,
        actor=None,
        service_id=service.pk,
        actor_label="command line",
        details={
            "rows": count,
            "format": Code("csv"),
            "kind": Code("talking_therapies_employment"),
            "period_start": start,
            "period_end": end,
        },
    )
    return count
