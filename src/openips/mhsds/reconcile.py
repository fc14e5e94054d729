"""The access count three ways, for one service and period: from the extract's own rows
(referrals whose first direct care contact falls in the period, as NHS England counts from
MHSDS), OpenIPS's `first_contacts`, and the IPS access return; the same for referrals received
and discharges beside the IPS Grow return. Any difference is listed record by record."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openips.clients.models import Episode
from openips.core.reporting import reporting_reads
from openips.mhsds.extract import Outcome, read_folder, write_tables
from openips.mhsds.rows import Row
from openips.organisations.models import Service
from openips.outcomes.metrics import Period
from openips.outcomes.report import Facts
from openips.outcomes.returns import rows as return_rows

# NHS England's rule, applied to the file as they apply it, independently of OpenIPS's own
# definition of a direct contact: that is what makes the comparison a check.
DIRECT_MECHANISMS = {"01", "02", "04", "11"}  # face to face, telephone, talk type, video
ATTENDED = {"5", "6"}


@dataclass(frozen=True)
class Line:
    measure: str
    extract: set[str]  # ServiceRequestIds counted from the extract
    openips: set[str]  # episode ids counted by OpenIPS's metric
    returned: int  # the return's figure

    @property
    def agrees(self) -> bool:
        return self.extract == self.openips and len(self.extract) == self.returned

    @property
    def only_in_extract(self) -> list[str]:
        return sorted(self.extract - self.openips)

    @property
    def only_in_openips(self) -> list[str]:
        return sorted(self.openips - self.extract)


@dataclass(frozen=True)
class Reconciliation:
    service: Service
    period: Period
    outcome: Outcome
    lines: list[Line]

    @property
    def agrees(self) -> bool:
        return all(line.agrees for line in self.lines)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def first_direct_contacts(tables: dict[str, list[Row]]) -> dict[str, date]:
    first: dict[str, date] = {}
    for row in tables["MHS201CareContact"]:
        if row["AttendStatus"] in ATTENDED and row["ConsMechanismMH"] in DIRECT_MECHANISMS:
            day, referral = date.fromisoformat(row["CareContDate"]), row["ServiceRequestID"]
            first[referral] = min(first.get(referral, day), day)
    return first


def _dated_in(referrals: Iterable[Row], column: str, period: Period) -> set[str]:
    return {r["ServiceRequestID"] for r in referrals if _day(r[column]) in period}


@reporting_reads  # both sides from the same database, so a replica's lag cannot differ them
def reconcile(service: Service, period: Period) -> Reconciliation:
    with tempfile.TemporaryDirectory() as work:
        outcome = write_tables(service, period, Path(work))
        needed = ("MHS101Referral", "MHS201CareContact")
        tables = {} if outcome.refused else read_folder(Path(work), needed)
    if outcome.refused:
        return Reconciliation(service, period, outcome, [])
    episodes = Episode.objects.filter(service=service)
    facts = Facts(episodes, period)
    ids = dict(episodes.values_list("pk", "episode_id"))
    services = Service.objects.filter(pk=service.pk)
    access = sum(
        int(r["MEASURE_VALUE"]) for r in return_rows("access", services, period, suppress=False)
    )
    (grow,) = return_rows("ips-grow", services, period, suppress=False)
    referrals = tables["MHS101Referral"]
    discharged = _dated_in(referrals, "ServDischDate", period)
    first = first_direct_contacts(tables)
    return Reconciliation(
        service,
        period,
        outcome,
        [
            Line(
                "People with a first direct contact",
                {ref for ref, day in first.items() if day in period},
                {ids[e.pk] for e in facts.episodes if e.first_direct_contact in period},
                access,
            ),
            Line(
                "Referrals received",
                _dated_in(referrals, "ReferralRequestReceivedDate", period),
                {ids[e.pk] for e in facts.episodes if e.referral in period},
                int(grow["referrals_received"]),
            ),
            Line(
                "Discharges",
                discharged,
                {ids[e.pk] for e in facts.episodes if e.discharge in period},
                int(grow["discharges"]),
            ),
        ],
    )
