"""The owner exports all of the clinic's data — also when the account is read-only: one zip
with a JSON and a CSV file per kind of record across every patient, and the clinic's set-up,
built by the worker, kept encrypted, downloaded once. Audited with counts only. Managers and
other clinics cannot reach it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import ApiKey
from aescrm.accounts.services import api_key_create
from aescrm.audit.models import AuditEntry
from aescrm.billing.tests.support import subscribe
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.subject_access.models import SubjectAccessExport
from aescrm.subject_access.tests.support import populate, unzip
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _start_on_the_page(world: ClinicWorld, capture: Any) -> tuple[Client, SubjectAccessExport]:
    owner = member_client(world, "owner")
    with capture(execute=True):
        response = owner.post("/settings/export")
    assert response.status_code == 302
    assert response["Location"] == "/settings/export"
    with clinic_scope(world.clinic.pk):
        return owner, SubjectAccessExport.objects.get(whole_clinic=True)


def _download_link(page: str) -> str:
    start = page.index("/exports/download/")
    return page[start : page.index('"', start)]


def test_the_owner_of_a_cancelled_clinic_downloads_everything_once(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    ada = populate(clinic_a, first="Ada", last="Archer", phone="07700 900501", tag="ADA-1")
    bea = populate(clinic_a, first="Bea", last="Baker", phone="07700 900502", tag="BEA-2", day=2)
    populate(clinic_b, first="Cal", last="Outsider", phone="07700 900503", tag="CAL-3")
    subscribe(clinic_a, "canceled")

    owner, export = _start_on_the_page(clinic_a, django_capture_on_commit_callbacks)
    listed = text(owner.get("/settings/export"))
    link_page = owner.post(f"/settings/export/{export.pk}/link")
    link = _download_link(text(link_page))
    first = Client().get(link)
    second = Client().get(link)

    assert export.status == "ready"
    assert "Ready to download" in listed
    assert first.status_code == 200
    assert first["Content-Disposition"].startswith('attachment; filename="clinic-data-')
    assert second.status_code == 410
    files = unzip(first.content)
    manifest = json.loads(files["export.json"])
    assert manifest["clinic"] == "Alpha Dental"
    assert manifest["patients"] == 2
    assert manifest["parts"]["profile"]["count"] == 2
    assert manifest["parts"]["treatments"]["count"] == 1
    profiles = json.loads(files["profile.json"])
    assert {(p["patient_id"], p["last_name"]) for p in profiles} == {
        (str(ada.patient.pk), "Archer"),
        (str(bea.patient.pk), "Baker"),
    }
    rows = list(csv.DictReader(io.StringIO(files["messages.csv"])))
    assert {row["patient_id"] for row in rows} == {str(ada.patient.pk), str(bea.patient.pk)}
    assert any(ada.markers["sms_out"] in row["body"] for row in rows)
    for name in ("enquiries", "appointments", "consents", "treatments", "message_templates"):
        assert f"{name}.json" in files and f"{name}.csv" in files, name
    everything = "".join(files.values())
    assert "Outsider" not in everything and "CAL-3" not in everything
    assert "auth_token" not in everything and "server_token" not in everything


def test_the_audit_log_keeps_counts_never_data(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    populate(clinic_a, first="Ada", last="Archer", phone="07700 900504", tag="ADA-4")
    _, export = _start_on_the_page(clinic_a, django_capture_on_commit_callbacks)

    with clinic_scope(clinic_a.clinic.pk):
        entries = {
            e.action: e.detail
            for e in AuditEntry.objects.filter(object_id=str(export.pk)).order_by("id")
        }

    assert set(entries) == {"clinic_export.created", "clinic_export.ready"}
    ready = entries["clinic_export.ready"]
    assert ready["counts"]["patients"] == 1
    assert ready["counts"]["profile"] == 1
    assert "Archer" not in json.dumps(entries)


def test_only_the_owner_may_export_the_clinic(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _, export = _start_on_the_page(clinic_a, django_capture_on_commit_callbacks)
    manager = member_client(clinic_a, "manager")

    assert manager.get("/settings/export").status_code == 403
    assert manager.post("/settings/export").status_code == 403
    # Not reachable through the patients' exports either.
    assert str(export.pk) not in text(manager.get("/privacy/exports/"))
    assert manager.post(f"/privacy/exports/{export.pk}/link").status_code == 404
    with pytest.raises(ValidationFailed, match="only the clinic's owner"):
        api_key_create(
            clinic=clinic_a.clinic,
            name="export",
            scopes=["clinic:export"],
            created_by=clinic_a.users["manager"],
        )


def test_a_member_of_another_clinic_gets_404(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _, export = _start_on_the_page(clinic_a, django_capture_on_commit_callbacks)
    outsider = member_client(clinic_b, "owner")

    assert outsider.post(f"/settings/export/{export.pk}/link").status_code == 404
    assert clinic_b.api().get(f"/api/v1/clinic/export/{export.pk}").status_code == 404
    assert str(export.pk) not in text(outsider.get("/settings/export"))
    with clinic_scope(clinic_a.clinic.pk):
        export.refresh_from_db()
        assert export.token_hash == ""


def test_the_api_starts_an_export_and_gives_its_link_when_ready(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    populate(clinic_a, first="Ada", last="Archer", phone="07700 900505", tag="ADA-5")
    subscribe(clinic_a, "canceled")
    api = clinic_a.api()

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/v1/clinic/export")
    assert started.status_code == 202, started.content
    body = started.json()
    status = api.get(f"/api/v1/clinic/export/{body['id']}")

    assert body["status_url"] == f"http://testserver/api/v1/clinic/export/{body['id']}"
    assert status.status_code == 200
    assert status.json()["status"] == "ready"
    download = Client().get(status.json()["download_url"])
    assert download.status_code == 200
    assert json.loads(unzip(download.content)["export.json"])["patients"] == 1


def test_a_key_without_the_scope_is_refused(clinic_a: ClinicWorld) -> None:
    _, key = api_key_create(clinic=clinic_a.clinic, name="read", scopes=["patients:read"])
    response = Client().post("/api/v1/clinic/export", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not SubjectAccessExport.objects.exists()
    assert ApiKey.objects.filter(clinic=clinic_a.clinic).count() == 2
