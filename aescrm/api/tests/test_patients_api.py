"""The patients API: create, find, read, change, delete — and nothing for other clinics."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient

pytestmark = pytest.mark.django_db

ZEB = {
    "first_name": "Zebedee",
    "last_name": "Quixotic-Farnsworth",
    "email": "Zeb.Quixotic@Example.org",
    "phone": "07700 900461",
    "consent": {"sms": True, "email": False},
    "consent_wording": "Text me about offers",
}


def test_it_creates_a_patient_with_normalised_contact_details(clinic_a: Any) -> None:
    response = clinic_a.api().post("/api/v1/patients", ZEB)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["first_name"] == "Zebedee"
    assert body["email"] == "zeb.quixotic@example.org"
    assert body["phone"] == "+447700900461"
    assert body["consent"] == {
        "sms": True,
        "email": False,
        "phone": False,
        "ad_measurement": None,
    }
    assert body["stage"] == "lead"
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get(pk=body["id"])
        events = list(patient.consent_events.values_list("channel", "granted", "source", "wording"))
    assert events == [("sms", True, "api", "Text me about offers")]


def test_it_finds_a_patient_by_part_of_the_name_and_by_national_phone(clinic_a: Any) -> None:
    api = clinic_a.api()
    created = api.post("/api/v1/patients", ZEB).json()
    clinic_a.make_patient(first_name="Someone", last_name="Else", phone="07700 900462")

    by_name = api.get("/api/v1/patients", {"search": "quixot"}).json()["items"]
    by_phone = api.get("/api/v1/patients", {"search": "07700 900461"}).json()["items"]
    by_partial_phone = api.get("/api/v1/patients", {"search": "900461"}).json()["items"]

    assert [p["id"] for p in by_name] == [created["id"]]
    assert [p["id"] for p in by_phone] == [created["id"]]
    assert [p["id"] for p in by_partial_phone] == [created["id"]]


def test_reading_a_patient_is_audited_with_the_actor(clinic_a: Any) -> None:
    api = clinic_a.api()
    created = api.post("/api/v1/patients", ZEB).json()

    response = api.get(f"/api/v1/patients/{created['id']}")

    assert response.status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="patient.read", object_id=created["id"]).get()
    assert entry.actor_type == "api_key"
    assert entry.actor_label.startswith("API key test")
    assert entry.request_id == response["X-Request-ID"]


def test_a_bad_phone_number_is_refused_naming_the_field_and_nothing_is_saved(clinic_a: Any) -> None:
    response = clinic_a.api().post("/api/v1/patients", {**ZEB, "phone": "not a number"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "phone"
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 0


def test_another_clinics_key_gets_404_and_changes_nothing(clinic_a: Any, clinic_b: Any) -> None:
    created = clinic_a.api().post("/api/v1/patients", ZEB).json()
    outsider = clinic_b.api()
    url = f"/api/v1/patients/{created['id']}"

    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, {"first_name": "Hacked"}).status_code == 404
    assert outsider.delete(url).status_code == 404
    assert outsider.get(f"{url}/timeline").status_code == 404
    assert outsider.get("/api/v1/patients", {"search": "quixot"}).json()["items"] == []

    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.get(pk=created["id"]).first_name == "Zebedee"


def test_ad_measurement_consent_is_set_through_the_api_and_kept_in_the_ledger(
    clinic_a: Any,
) -> None:
    """Not asked, then refused through the API: the ledger records it with the wording."""
    api = clinic_a.api()
    created = api.post("/api/v1/patients", {"first_name": "Mo", "email": "mo@example.org"})
    url = f"/api/v1/patients/{created.json()['id']}"
    assert created.json()["consent"]["ad_measurement"] is None

    refused = api.patch(
        url,
        {
            "consent": {"ad_measurement": False},
            "consent_wording": "Use my visit to measure your adverts? No",
        },
    )

    assert refused.status_code == 200, refused.content
    assert refused.json()["consent"]["ad_measurement"] is False
    consents = api.get(f"{url}/consents").json()
    assert consents["current"]["ad_measurement"]["granted"] is False
    assert consents["current"]["ad_measurement"]["source"] == "api"
    (event,) = [e for e in consents["ledger"] if e["purpose"] == "ad_measurement"]
    assert event["wording"] == "Use my visit to measure your adverts? No"
