"""Every read, list, search and change of patient data is audited: who, from where,
which patients, which fields — never the values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope, unscoped

pytestmark = pytest.mark.django_db

MARKER = "Peppercorn-Oberon-4471"


def _entries(clinic: Any, action: str) -> list[AuditEntry]:
    with clinic_scope(clinic.clinic.pk):
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


def _every_audit_row_as_json() -> str:
    with unscoped("test: read every audit chain"):
        rows = list(AuditEntry.all_chains.values())
    return json.dumps(rows, default=str)


def _create(api: Any, **fields: Any) -> dict[str, Any]:
    response = api.post("/api/v1/patients", {"first_name": "Test", **fields})
    assert response.status_code == 201, response.content
    return response.json()


def test_reading_a_patient_records_the_api_key_ip_and_request_id(clinic_a: Any) -> None:
    """GET /patients/{id} appends patient.read naming the key, its address and the request."""
    api = clinic_a.api()
    patient = _create(api, email="read@example.com")

    response = api.get(
        f"/api/v1/patients/{patient['id']}",
        HTTP_USER_AGENT="practice-sync/2.1",
        HTTP_X_REQUEST_ID="req-read-0001",
    )

    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-read-0001"
    [entry] = _entries(clinic_a, "patient.read")
    key_row = clinic_a.clinic.api_keys.get()
    assert entry.clinic_id == clinic_a.clinic.pk
    assert entry.actor_type == "api_key"
    assert entry.actor_id == str(key_row.pk)
    assert entry.actor_label == f"API key test ({key_row.prefix}…)"
    assert entry.ip == "127.0.0.1"
    assert entry.user_agent == "practice-sync/2.1"
    assert entry.request_id == "req-read-0001"
    assert entry.object_type == "patient"
    assert entry.object_id == patient["id"]
    assert entry.purpose == "api read"
    assert entry.occurred_at.utcoffset() == dt.timedelta(0)


def test_listing_records_which_patients_were_shown(clinic_a: Any) -> None:
    """GET /patients appends patient.list with the ids on the page, in order."""
    api = clinic_a.api()
    ids = [_create(api, email=f"list{n}@example.com")["id"] for n in range(3)]

    page = api.get("/api/v1/patients", {"limit": 2}).json()

    shown = [p["id"] for p in page["items"]]
    assert shown == [ids[2], ids[1]]
    [entry] = _entries(clinic_a, "patient.list")
    assert entry.detail == {"shown": shown}


def test_searching_records_the_patients_shown_and_never_the_search_text(clinic_a: Any) -> None:
    """GET /patients?search= appends patient.search with the ids; the query is not kept."""
    api = clinic_a.api()
    match = _create(api, last_name="Oberonsky", email="o@example.com")
    _create(api, last_name="Smith", email="s@example.com")

    found = api.get("/api/v1/patients", {"search": "oberonsk"}).json()["items"]

    assert [p["id"] for p in found] == [match["id"]]
    [entry] = _entries(clinic_a, "patient.search")
    assert entry.detail == {"shown": [match["id"]]}
    assert "oberonsk" not in _every_audit_row_as_json().lower()


def test_creating_and_updating_record_field_names_never_values(clinic_a: Any) -> None:
    """patient.create and patient.update name what changed; no value reaches the log."""
    api = clinic_a.api()
    patient = _create(api, last_name=MARKER, email="fields@example.com", notes=f"{MARKER} note")

    response = api.patch(
        f"/api/v1/patients/{patient['id']}",
        {"notes": f"Updated {MARKER}", "phone": "07700 900555", "stage": "patient"},
    )

    assert response.status_code == 200, response.content
    [created] = _entries(clinic_a, "patient.create")
    [updated] = _entries(clinic_a, "patient.update")
    assert created.object_id == patient["id"]
    assert created.detail == {}
    assert updated.object_id == patient["id"]
    assert updated.detail == {"fields": ["notes", "phone", "stage"]}
    everything = _every_audit_row_as_json()
    for value in (MARKER, MARKER.lower(), "900555", "fields@example.com"):
        assert value not in everything


def test_timeline_delete_and_enquiries_are_audited(clinic_a: Any) -> None:
    """The timeline read, the enquiry list and the delete each leave an entry."""
    api = clinic_a.api()
    patient = _create(api, email="t@example.com")
    enquiry = api.post(
        "/api/v1/enquiries", {"patient": patient["id"], "channel": "chat", "message": MARKER}
    ).json()

    api.get(f"/api/v1/patients/{patient['id']}/timeline")
    api.get("/api/v1/enquiries")
    assert api.delete(f"/api/v1/patients/{patient['id']}").status_code == 204

    [timeline] = _entries(clinic_a, "patient.timeline.read")
    assert (timeline.object_id, timeline.detail) == (patient["id"], {"kinds": ["enquiry"]})
    [created] = _entries(clinic_a, "enquiry.create")
    assert created.detail == {"patient": patient["id"]}
    [listed] = _entries(clinic_a, "enquiry.list")
    assert listed.detail == {"shown": [enquiry["id"]]}
    [deleted] = _entries(clinic_a, "patient.delete")
    assert deleted.object_id == patient["id"]
    assert MARKER not in _every_audit_row_as_json()


def test_reading_the_audit_log_is_itself_audited(clinic_a: Any) -> None:
    """GET /audit appends audit.read with how many entries were shown."""
    response = clinic_a.api().get("/api/v1/audit", {"limit": 2})

    assert response.status_code == 200
    assert len(response.json()["items"]) == 2
    [entry] = _entries(clinic_a, "audit.read")
    assert entry.detail == {"count": 2}
