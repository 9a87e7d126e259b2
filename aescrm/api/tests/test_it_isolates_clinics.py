"""A key of clinic B gets 404 for every clinic A object, through every endpoint, and
nothing of clinic A changes."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.api.tests.helpers import assert_problem, booking, slot
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.crypto.fields import Sealed
from aescrm.patients.models import Appointment, ConsentEvent, Enquiry, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(clinic_a: Any) -> dict[str, str]:
    """Clinic A's patient with an enquiry and an appointment."""
    api = clinic_a.api()
    patient = api.post(
        "/api/v1/patients",
        {"first_name": "Alfreda", "last_name": "Alphason", "phone": "07700 900777"},
    ).json()
    enquiry = api.post(
        "/api/v1/enquiries", {"patient": patient["id"], "channel": "sms", "message": "Hi"}
    ).json()
    appointment = api.post(
        "/api/v1/appointments", booking(clinic_a, patient["id"], slot(days=1))
    ).json()
    return {"patient": patient["id"], "enquiry": enquiry["id"], "appointment": appointment["id"]}


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """Rows as stored: ciphertexts compared byte for byte."""
    return [
        {k: v.blob if isinstance(v, Sealed) else v for k, v in row.items()}
        for row in queryset.values().order_by("pk")
    ]


def _snapshot(clinic: Any) -> dict[str, Any]:
    """Everything of clinic A a request could have changed."""
    with clinic_scope(clinic.clinic.pk):
        return {
            "patients": _rows(Patient.objects.all()),
            "enquiries": _rows(Enquiry.objects.all()),
            "appointments": _rows(Appointment.objects.all()),
            "consent": _rows(ConsentEvent.objects.all()),
        }


def test_every_endpoint_answers_404_for_another_clinics_object(
    clinic_a: Any, clinic_b: Any, alpha: dict[str, str]
) -> None:
    """GET, PATCH and DELETE of A's patient and appointment by B's key: 404, nothing changes."""
    outsider = clinic_b.api()
    before = _snapshot(clinic_a)
    patient_url = f"/api/v1/patients/{alpha['patient']}"
    appointment_url = f"/api/v1/appointments/{alpha['appointment']}"

    responses = [
        outsider.get(patient_url),
        outsider.patch(patient_url, {"first_name": "Hacked", "consent": {"sms": True}}),
        outsider.delete(patient_url),
        outsider.get(f"{patient_url}/timeline"),
        outsider.get(appointment_url),
        outsider.patch(appointment_url, {"status": "cancelled", "cancellation_reason": "x"}),
        outsider.patch(appointment_url, {"starts_at": slot(days=9).isoformat()}),
    ]

    for response in responses:
        body = assert_problem(response, 404)
        assert "Alfreda" not in response.content.decode()
        assert body["title"] == "Not found"
    assert _snapshot(clinic_a) == before
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action__in=["patient.read", "patient.update"]).count() == 0


def test_another_clinics_objects_cannot_be_referenced_in_a_body(
    clinic_a: Any, clinic_b: Any, alpha: dict[str, str]
) -> None:
    """B cannot attach an enquiry or appointment to A's patient, treatment or practitioner."""
    outsider = clinic_b.api()
    before = _snapshot(clinic_a)
    b_patient = outsider.post("/api/v1/patients", {"first_name": "Bo", "phone": "07700900888"})
    b_id = b_patient.json()["id"]

    enquiry = outsider.post("/api/v1/enquiries", {"patient": alpha["patient"], "channel": "sms"})
    with_a_treatment = outsider.post(
        "/api/v1/enquiries",
        {"patient": b_id, "channel": "sms", "treatment": str(clinic_a.treatment.pk)},
    )
    on_a_patient = outsider.post(
        "/api/v1/appointments", booking(clinic_b, alpha["patient"], slot(days=2))
    )
    with_a_treatment_booking = outsider.post(
        "/api/v1/appointments",
        {**booking(clinic_b, b_id, slot(days=2)), "treatment": str(clinic_a.treatment.pk)},
    )
    with_a_practitioner = outsider.post(
        "/api/v1/appointments",
        {**booking(clinic_b, b_id, slot(days=2)), "practitioner": str(clinic_a.practitioner.pk)},
    )
    b_appointment = outsider.post(
        "/api/v1/appointments", booking(clinic_b, b_id, slot(days=3))
    ).json()
    moved_to_a = outsider.patch(
        f"/api/v1/appointments/{b_appointment['id']}",
        {"practitioner": str(clinic_a.practitioner.pk)},
    )

    assert_problem(enquiry, 422, "patient")
    assert_problem(with_a_treatment, 422, "treatment")
    assert_problem(on_a_patient, 422, "patient")
    assert_problem(with_a_treatment_booking, 422, "treatment")
    assert_problem(with_a_practitioner, 422, "practitioner")
    assert_problem(moved_to_a, 422, "practitioner")
    assert _snapshot(clinic_a) == before
    with clinic_scope(clinic_b.clinic.pk):
        assert Enquiry.objects.count() == 0
        assert list(Appointment.objects.values_list("practitioner_id", flat=True)) == [
            clinic_b.practitioner.pk
        ]


def test_lists_show_nothing_of_another_clinic(
    clinic_a: Any, clinic_b: Any, alpha: dict[str, str]
) -> None:
    """Lists, searches and filters by A's ids are empty for B; the audit log is B's own."""
    outsider = clinic_b.api()

    assert outsider.get("/api/v1/patients").json() == {"items": [], "next_cursor": None}
    assert outsider.get("/api/v1/patients", {"search": "alphas"}).json()["items"] == []
    assert outsider.get("/api/v1/patients", {"search": "07700 900777"}).json()["items"] == []
    assert outsider.get("/api/v1/enquiries").json() == []
    assert outsider.get("/api/v1/enquiries", {"patient": alpha["patient"]}).json() == []
    assert outsider.get("/api/v1/appointments").json() == []
    assert outsider.get("/api/v1/appointments", {"patient": alpha["patient"]}).json() == []
    assert_problem(
        outsider.get("/api/v1/appointments", {"practitioner": str(clinic_a.practitioner.pk)}),
        422,
        "practitioner",
    )
    treatments = outsider.get("/api/v1/treatments").json()
    practitioners = outsider.get("/api/v1/practitioners").json()
    assert [t["id"] for t in treatments] == [str(clinic_b.treatment.pk)]
    assert [p["id"] for p in practitioners] == [str(clinic_b.practitioner.pk)]
    audit = outsider.get("/api/v1/audit", {"limit": 500}).json()["items"]
    a_ids = set(alpha.values())
    assert [e for e in audit if e["object_id"] in a_ids] == []
    assert {e["object_id"] for e in audit} >= {str(clinic_b.clinic.pk)}
    assert outsider.get("/api/v1/audit", {"object_id": alpha["patient"]}).json()["items"] == []
