"""The service manager's MHSDS pages: settings saved and audited, the extract refused with
every missing setting listed, downloaded at once when small and prepared by a worker when
large, and the reconciliation shown."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.interchange.models import Download, DownloadKind, DownloadStatus
from openips.mhsds.tables import TABLES
from tests.workers import run_queued

pytestmark = pytest.mark.django_db


def month_choice() -> str:
    """The month of the world's contacts (9 January 2025), while the form still offers it."""
    from openips.mhsds.forms import recent_months

    offered = {f"{m:%Y-%m}" for m in recent_months(timezone.localdate())}
    return "2025-01" if "2025-01" in offered else min(offered)


def set_up(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("mhsds:settings", args=[world.service_a.pk]),
        {"ods_code": "RX4", "submitter_ods_code": "", "mhsds_team_id": "IPS-1"},
    )
    assert response.status_code == 302


def test_settings_are_saved_and_audited(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    world.service_a.refresh_from_db()
    assert world.service_a.mhsds_team_id == "IPS-1"
    assert world.service_a.organisation.ods_code == "RX4"
    changed = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="organisations.service"
    )
    assert changed.count() == 1 and "mhsds_team_id" in str(changed.get().changes)
    bad = client.post(
        reverse("mhsds:settings", args=[world.service_a.pk]),
        {"ods_code": "R X4!", "submitter_ods_code": "", "mhsds_team_id": "IPS-1"},
    )
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_the_extract_is_refused_until_the_settings_are_made(client_for, world) -> None:  # type: ignore[no-untyped-def]
    world.org1.ods_code = ""
    world.org1.save()
    client = client_for(Role.SERVICE_MANAGER)
    url = reverse("mhsds:extract", args=[world.service_a.pk])
    page = client.post(url, {"month": month_choice()}).content.decode()
    assert "The extract cannot be made" in page
    assert "Enter the ODS code of the trust" in page
    assert "Enter the MHSDS team local identifier" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_small_extract_downloads_at_once(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    response = client.post(
        reverse("mhsds:extract", args=[world.service_a.pk]), {"month": month_choice()}
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{t}.csv" for t in TABLES)
    assert f"mhsds-{world.service_a.code}-{month_choice()}-01-" in response["Content-Disposition"]
    (export,) = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert export.changes["kind"] == "mhsds" and export.changes["format"] == "zip"


@override_settings(MHSDS_INLINE_CONTACTS=0)
@pytest.mark.django_db(transaction=True)
def test_a_large_extract_is_prepared_by_a_worker(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    month = month_choice()
    response = client.post(reverse("mhsds:extract", args=[world.service_a.pk]), {"month": month})
    download = Download.objects.get(kind=DownloadKind.MHSDS)
    assert response.url == reverse("interchange:download", args=[download.pk])
    assert "Preparing the MHSDS extract" in client.get(response.url).content.decode()
    run_queued()
    download.refresh_from_db()
    assert download.status == DownloadStatus.READY
    assert "MHSDS extract ready" in client.get(response.url).content.decode()
    file = client.get(reverse("interchange:download_file", args=[download.pk]))
    assert f"mhsds-{world.service_a.code}-{month}-01-" in file["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content))).namelist()


def test_the_reconciliation_page_shows_the_three_figures(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    url = reverse("mhsds:reconcile", args=[world.service_a.pk])
    page = client.get(url, {"month": month_choice()}).content.decode()
    assert "People with a first direct contact" in page and "Every figure agrees" in page
    assert client.get(url, {"month": "1999-99"}).status_code == 200
    assert "Select a month from the list" in client.get(url, {"month": "1999-99"}).content.decode()
    assert "People with a first direct contact" not in client.get(url).content.decode()


@override_settings(MHSDS_INLINE_CONTACTS=0)
def test_a_month_too_large_to_check_here_points_to_the_command(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    url = reverse("mhsds:reconcile", args=[world.service_a.pk])
    page = client.get(url, {"month": month_choice()}).content.decode()
    assert "too many care contacts to check here" in page
    assert f"openips reconcile_mhsds --service {world.service_a.code}" in page
    assert "People with a first direct contact" not in page


@override_settings(MHSDS_INLINE_CONTACTS=0)
@pytest.mark.django_db(transaction=True)
def test_a_worker_refusing_the_extract_lists_each_problem(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SERVICE_MANAGER)
    set_up(client, world)
    response = client.post(
        reverse("mhsds:extract", args=[world.service_a.pk]), {"month": month_choice()}
    )
    world.org1.ods_code = ""  # changed by someone else before the worker came to it
    world.org1.save()
    run_queued()
    download = Download.objects.get(kind=DownloadKind.MHSDS)
    assert download.status == DownloadStatus.FAILED and not download.file
    page = client.get(response.url).content.decode()
    assert "The MHSDS extract cannot be made" in page
    assert (
        "set the organisation&#39;s ODS code" in page or "set the organisation's ODS code" in page
    )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
