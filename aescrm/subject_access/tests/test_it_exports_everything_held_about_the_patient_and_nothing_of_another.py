"""Acceptance: an export of a patient with enquiries, appointments, SMS, email and chat holds
every one of them (JSON, CSV and the HTML summary) and nothing of another patient of the
same clinic with data just like theirs."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.subject_access.models import SubjectAccessExport
from aescrm.subject_access.tests.support import exported_json, populate, unzip
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def _export_through_the_api(world: Any, patient_id: Any, capture: Any, **query: str) -> bytes:
    api = world.api()
    with capture(execute=True):  # the worker runs on commit (Huey immediate in tests)
        started = api.get(f"/api/v1/patients/{patient_id}/export", query)
    assert started.status_code == 202, started.content
    status = api.get(started.json()["status_url"])
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "ready"
    assert body["download_url"].startswith("http://testserver/exports/download/")
    download = api.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    return bytes(download.content)


def test_the_export_holds_everything_of_the_patient_and_nothing_of_another(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from aescrm.assistant.tests.support import stock

    stock(clinic_a.clinic)
    jane = populate(clinic_a, first="Jane", last="Smith", phone="07911 123456", tag="JANE")
    oliver = populate(
        clinic_a, first="Oliver", last="Othername", phone="07700 900123", tag="OLIVER", day=2
    )

    files = unzip(
        _export_through_the_api(clinic_a, jane.patient.pk, django_capture_on_commit_callbacks)
    )

    # Every file is there: JSON, one CSV per category, the readable summary.
    document = exported_json(files)
    categories = [k for k in document if k != "export"]
    assert set(files) == {"export.json", "summary.html"} | {f"{c}.csv" for c in categories}
    assert "access_log" not in document  # not asked for

    # JSON: every kind of data, with its values.
    assert document["profile"][0]["first_name"] == "Jane"
    assert document["profile"][0]["email"] == jane.email
    # Hers, and the one the chat made when it captured her details.
    assert [e["channel"] for e in document["enquiries"]] == ["web_form", "chat"]
    assert document["enquiries"][0]["message"] == jane.markers["enquiry"]
    assert len(document["appointments"]) == 2
    assert {a["cancellation_reason"] for a in document["appointments"]} == {
        None,
        jane.markers["cancellation"],
    }
    assert all(isinstance(a["value_pence"], int) for a in document["appointments"])
    assert document["appointments"][0]["starts_at"].endswith("+00:00")
    by_body = {m["body"]: m for m in document["messages"] if "body" in m}
    assert by_body[jane.markers["sms_out"]]["direction"] == "outbound"
    assert by_body[jane.markers["sms_out"]]["channel"] == "sms"
    assert by_body[jane.markers["sms_in"]]["direction"] == "inbound"
    assert by_body[jane.markers["email"]]["channel"] == "email"
    assert by_body[jane.markers["email"]]["email_subject"] == jane.markers["email_subject"]
    assert [n["body"] for n in document["notes"]] == [jane.markers["note"]]
    chats = document["chats"]
    assert len(chats) == 1
    said = [t["text"] for t in chats[0]["turns"] if t["speaker"] == "visitor"]
    assert said == ["Can someone call me back?", "Jane Smith", "07911 123456"]
    assert all(t["guardrails"] for t in chats[0]["turns"] if t["speaker"] == "visitor")
    touches = document["attribution"]
    assert {t["gclid"] for t in touches} == {jane.markers["gclid"]}
    assert {t["position"] for t in touches} == {"first", "last"}
    assert [t["first_touch_overall"] for t in touches].count(True) == 1
    assert [t["last_touch_overall"] for t in touches].count(True) == 1
    assert {e["kind"] for e in document["conversion_events"]} >= {"lead", "booked"}
    assert document["lead_scores"] and all(s["reasons"] for s in document["lead_scores"])
    assert [c["granted"] for c in document["consents"]] == [True, True]
    assert document["export"]["categories"]["messages"]["count"] == len(document["messages"])

    # CSV and HTML hold the same words.
    for marker in ("enquiry", "sms_out", "sms_in", "email", "note", "cancellation", "gclid"):
        text = jane.markers[marker]
        assert any(text in files[name] for name in files if name.endswith(".csv")), marker
        assert text in files["summary.html"], marker
    assert jane.markers["sms_out"] in files["messages.csv"]
    assert "Can someone call me back?" in files["chats.csv"]
    assert "Can someone call me back?" in files["summary.html"]
    assert "Jane" in files["profile.csv"]

    # Nothing of Oliver, anywhere in the zip.
    everything = "\n".join(files.values())
    for text in (
        *oliver.markers.values(),
        oliver.last_name,
        oliver.email,
        str(oliver.patient.pk),
        "900123",
    ):
        assert text not in everything, text

    # The summary stands alone: no scripts, nothing fetched from elsewhere.
    html = files["summary.html"]
    assert "<script" not in html and "src=" not in html and "http" not in html.split("<body>")[0]

    with clinic_scope(clinic_a.clinic.pk):
        export = SubjectAccessExport.objects.get()
        assert export.status == "downloaded" and export.payload is None
        actions = set(
            AuditEntry.objects.filter(object_id=str(export.pk)).values_list("action", flat=True)
        )
    assert {
        "subject_access.export.created",
        "subject_access.export.ready",
        "subject_access.export.downloaded",
    } <= actions


def test_who_accessed_the_record_is_included_only_when_asked_and_escaped(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    patient = clinic_a.make_patient(
        first_name="<b>Ann</b>", last_name="O'Neil & Co", email="ann@example.com"
    )
    # A receptionist opens the record.
    page = member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/")
    assert page.status_code == 200

    files = unzip(
        _export_through_the_api(
            clinic_a, patient.pk, django_capture_on_commit_callbacks, include_access_log="true"
        )
    )

    log = exported_json(files)["access_log"]
    assert {"patient.read", "subject_access.export.created"} <= {e["action"] for e in log}
    assert any(e["actor_label"] == "receptionist@alpha.test" for e in log)
    assert "receptionist@alpha.test" in files["access_log.csv"]
    html = files["summary.html"]
    assert "<b>Ann</b>" not in html
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html
