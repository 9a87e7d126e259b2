"""GET /api/v1/templates[/{id}] and POST /api/v1/templates/{id}/preview."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.tests.support import make_template
from aescrm.testing.fixtures import ApiClient
from aescrm.web.tests.support import book

pytestmark = pytest.mark.django_db


def _key(world: Any, *scopes: str) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="narrow", scopes=list(scopes))
    return ApiClient(secret)


def test_it_lists_and_shows_templates_with_exact_fields(clinic_a: Any) -> None:
    template = make_template(clinic_a)
    listed = clinic_a.api().get("/api/v1/templates")
    shown = clinic_a.api().get(f"/api/v1/templates/{template.pk}")

    assert listed.status_code == 200 and shown.status_code == 200
    assert listed.json() == [shown.json()]
    body = shown.json()
    assert set(body) == {
        "id",
        "name",
        "channel",
        "kind",
        "subject",
        "body_text",
        "body_html",
        "active",
        "created_at",
        "updated_at",
    }
    assert (body["id"], body["name"], body["channel"], body["kind"]) == (
        str(template.pk),
        "Reminder",
        "sms",
        "service",
    )


def test_a_preview_renders_for_a_patient_and_appointment_and_is_audited(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Amelia")
    appointment = book(clinic_a, patient, dt.datetime(2026, 3, 3, 10, 30))
    template = make_template(clinic_a)

    response = clinic_a.api().post(
        f"/api/v1/templates/{template.pk}/preview",
        {"patient": str(patient.pk), "appointment": str(appointment.pk)},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"].startswith("Hi Amelia, see you Tuesday 3 March at 10:30 for ")
    assert body["subject"] == "" and body["html"] == ""
    assert body["sms"]["encoding"] == "GSM-7"
    assert body["sms"]["parts"] == 1
    assert body["sms"]["units"] == len(body["text"])
    with clinic_scope(clinic_a.clinic.pk):
        read = AuditEntry.objects.get(action="patient.read", object_id=str(patient.pk))
    assert read.purpose == "template preview"


def test_a_preview_needing_an_appointment_without_one_names_the_field(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Amelia")
    template = make_template(clinic_a)
    response = clinic_a.api().post(
        f"/api/v1/templates/{template.pk}/preview", {"patient": str(patient.pk)}
    )
    assert_problem(response, 422, "appointment")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "patient"),
        ({"patient": "not-a-uuid"}, "patient"),
        ({"patient": "00000000-0000-0000-0000-000000000000"}, "patient"),
        ({"patient": "{pid}", "appointment": "nope"}, "appointment"),
        (
            {"patient": "{pid}", "appointment": "00000000-0000-0000-0000-000000000000"},
            "appointment",
        ),
    ],
)
def test_bad_preview_input_is_a_problem_naming_the_field(
    clinic_a: Any, body: dict[str, str], field: str
) -> None:
    patient = clinic_a.make_patient()
    template = make_template(clinic_a, body_text="Hi {{ first_name }}")
    payload = {k: v.format(pid=patient.pk) for k, v in body.items()}
    response = clinic_a.api().post(f"/api/v1/templates/{template.pk}/preview", payload)
    assert_problem(response, 422, field)


def test_clinic_b_gets_404_for_every_endpoint_and_changes_nothing(
    clinic_a: Any, clinic_b: Any
) -> None:
    patient = clinic_a.make_patient(first_name="Amelia")
    template = make_template(clinic_a, body_text="Hi {{ first_name }}")
    b_patient = clinic_b.make_patient(first_name="Bo")
    outsider = clinic_b.api()

    assert outsider.get("/api/v1/templates").json() == []
    assert_problem(outsider.get(f"/api/v1/templates/{template.pk}"), 404)
    assert_problem(
        outsider.post(f"/api/v1/templates/{template.pk}/preview", {"patient": str(b_patient.pk)}),
        404,
    )
    # nor can clinic A's patient be previewed with a template of clinic A by clinic B's key
    assert_problem(
        outsider.post(f"/api/v1/templates/{template.pk}/preview", {"patient": str(patient.pk)}),
        404,
    )
    # and clinic A's key cannot preview clinic B's patient
    assert_problem(
        clinic_a.api().post(
            f"/api/v1/templates/{template.pk}/preview", {"patient": str(b_patient.pk)}
        ),
        422,
        "patient",
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert MessageTemplate.objects.get().body_text == "Hi {{ first_name }}"
        assert not AuditEntry.objects.filter(action="patient.read").exists()


def test_a_key_without_messages_read_gets_403(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    template = make_template(clinic_a, body_text="Hi {{ first_name }}")
    key = _key(clinic_a, "patients:read")
    assert_problem(key.get("/api/v1/templates"), 403)
    assert_problem(key.get(f"/api/v1/templates/{template.pk}"), 403)
    assert_problem(
        key.post(f"/api/v1/templates/{template.pk}/preview", {"patient": str(patient.pk)}), 403
    )


def test_a_preview_also_needs_patients_read(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    template = make_template(clinic_a, body_text="Hi {{ first_name }}")
    key = _key(clinic_a, "messages:read")
    assert key.get(f"/api/v1/templates/{template.pk}").status_code == 200
    assert_problem(
        key.post(f"/api/v1/templates/{template.pk}/preview", {"patient": str(patient.pk)}), 403
    )
