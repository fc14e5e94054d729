"""The seven MHSDS v6 tables the extract writes, each column with its name as the technical
output specification spells it and whether the specification makes it mandatory (M: a record
without it is rejected), required (R: expected when known) or optional (O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Need = Literal["M", "R", "O"]


@dataclass(frozen=True)
class Column:
    name: str
    need: Need
    when: str | None = None  # expected only once this other column of the record is filled


def _columns(*spec: str) -> tuple[Column, ...]:
    """Columns written "Name:M" (or "Name:R:OtherColumn") in specification order."""
    found = []
    for item in spec:
        name, need, *when = item.split(":")
        found.append(Column(name, need, *when))  # type: ignore[arg-type]
    return tuple(found)


DATA_SET_VERSION = "6.0"
SYSTEM = "OpenIPS"

TABLES: dict[str, tuple[Column, ...]] = {
    "MHS000Header": _columns(
        "DatSetVer:M",
        "OrgIDProvider:M",
        "OrgIDSubmit:M",
        "PrimSystemInUse:R",
        "ReportingPeriodStartDate:M",
        "ReportingPeriodEndDate:M",
        "DateTimeDatSetCreate:M",
    ),
    "MHS001MPI": _columns(
        "LocalPatientID:M",
        "OrgIDLocalPatientID:M",
        "NHSNumber:R",
        "NHSNumberStatus:R",
        "PersonBirthDate:R",
        "Postcode:R",
        "GenderIDCode:R",
        "EthnicCategory:R",
        "LanguageCodePreferred:O",
    ),
    "MHS004EmpStatus": _columns(
        "LocalPatientID:M",
        "EmployStatus:M",
        "EmployStatusRecDate:M",
        "EmployStatusStartDate:R",
        "EmployStatusEndDate:O",
        "WeekHoursWorked:R",
    ),
    "MHS101Referral": _columns(
        "ServiceRequestID:M",
        "LocalPatientID:M",
        "CareProfTeamLocalID:M",
        "ReferralRequestReceivedDate:M",
        "SourceOfReferralMH:M",
        "ServDischDate:O",  # empty while the referral is open
        "ReferClosReason:R:ServDischDate",
    ),
    "MHS201CareContact": _columns(
        "CareContactID:M",
        "ServiceRequestID:M",
        "CareContDate:M",
        "CareContTime:R",
        "ClinContDurOfCareCont:R",
        "ConsMechanismMH:M",
        "ActLocTypeCode:R",
        "AttendStatus:M",
    ),
    "MHS202CareActivity": _columns(
        "CareActID:M",
        "CareContactID:M",
        "Procedure:R",
    ),
    "MHS902ServiceTeamDetails": _columns(
        "CareProfTeamLocalID:M",
        "OrgIDCareProfTeamLocalID:M",
        "ServTeamTypeMH:M",
        "ServTeamIntAgeGroup:R",
    ),
}
