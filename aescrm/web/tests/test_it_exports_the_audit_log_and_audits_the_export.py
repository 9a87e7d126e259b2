"""The audit log page and its streamed CSV export (exporting is itself audited)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.http import StreamingHttpResponse

from aescrm.audit.export import CSV_HEADER
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(body)))


def test_it_exports_the_clinics_entries_newest_first_and_audits_the_export(
    clinic_a: Any, clinic_b: Any
) -> None:
    # Given patients created in both clinics
    patient = clinic_a.make_patient(first_name="Zebedee")
    other = clinic_b.make_patient(first_name="Outsider")
    with clinic_scope(clinic_a.clinic.pk):
        expected_ids = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True))

    # When the manager exports the audit log
    response = member_client(clinic_a, "manager").get("/audit/export.csv")

    # Then it is a CSV download of every clinic-A entry (export first, newest first)
    rows = _csv(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-alpha-')
    assert response["Cache-Control"] == "no-store"
    assert rows[0] == CSV_HEADER
    exported = rows[1:]
    assert exported[0][CSV_HEADER.index("action")] == "audit.export"
    assert [int(r[0]) for r in exported[1:]] == expected_ids
    actions = [r[CSV_HEADER.index("action")] for r in exported]
    assert "patient.create" in actions
    object_ids = {r[CSV_HEADER.index("object_id")] for r in exported}
    assert str(patient.pk) in object_ids
    assert str(other.pk) not in object_ids
    # And the export itself is in the audit log, with who did it
    with clinic_scope(clinic_a.clinic.pk):
        export = AuditEntry.objects.get(action="audit.export")
    assert export.actor_label == "manager@alpha.test"
    assert export.detail == {"action": "", "object_id": "", "actor": ""}


def test_it_exports_only_the_filtered_entries(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")
    client = member_client(clinic_a, "auditor")

    response = client.get(
        "/audit/export.csv", {"action": "patient.create", "object_id": str(patient.pk)}
    )

    rows = _csv(response)[1:]
    assert [(r[CSV_HEADER.index("action")], r[CSV_HEADER.index("object_id")]) for r in rows] == [
        ("patient.create", str(patient.pk))
    ]
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.get(action="audit.export").detail == {
            "action": "patient.create",
            "object_id": str(patient.pk),
            "actor": "",
        }


def test_it_neutralises_spreadsheet_formulas_in_exported_cells(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")
    client.get("/patients/", HTTP_USER_AGENT='=HYPERLINK("https://evil.example")')

    rows = _csv(client.get("/audit/export.csv", {"action": "patient.list"}))[1:]

    assert rows[0][CSV_HEADER.index("user_agent")] == '\'=HYPERLINK("https://evil.example")'


def test_it_shows_and_filters_the_log_newest_first(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")
    client = member_client(clinic_a, "owner")
    client.get(f"/patients/{patient.pk}/")

    page = text(client.get("/audit/", {"object_id": str(patient.pk)}))

    actions = [part.split("</code>")[0] for part in page.split("<td><code>")[1:]]
    assert actions == [
        "patient.automation_log.read",
        "patient.timeline.read",
        "patient.read",
        "patient.create",
    ]
    assert f'href="/audit/export.csv?object_id={patient.pk}"' in page
