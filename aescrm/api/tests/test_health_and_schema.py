"""/healthz and the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/clinic": {"get"},
    "/api/v1/patients": {"get", "post"},
    "/api/v1/patients/{patient_id}": {"get", "patch", "delete"},
    "/api/v1/patients/{patient_id}/timeline": {"get"},
    "/api/v1/patients/{patient_id}/restriction": {"post"},
    "/api/v1/patients/{patient_id}/objection": {"post"},
    "/api/v1/patients/{patient_id}/consents": {"get"},
    "/api/v1/patients/{patient_id}/history": {"get"},
    "/api/v1/patients/{patient_id}/erasure": {"post"},
    "/api/v1/enquiries": {"get", "post"},
    "/api/v1/treatments": {"get", "post"},
    "/api/v1/treatments/{treatment_id}": {"patch"},
    "/api/v1/practitioners": {"get", "post"},
    "/api/v1/practitioners/{practitioner_id}": {"patch"},
    "/api/v1/appointments": {"get", "post"},
    "/api/v1/appointments/{appointment_id}": {"get", "patch"},
    "/api/v1/availability": {"get"},
    "/api/v1/audit": {"get"},
    "/api/v1/conversions/google-ads.csv": {"get"},
    "/api/v1/messages": {"post"},
    "/api/v1/messages/{message_id}": {"get"},
    "/api/v1/reports/attribution": {"get"},
    "/api/v1/reports/attribution.csv": {"get"},
    "/api/v1/ad-spend": {"post"},
    "/api/v1/leads": {"get"},
    "/api/v1/leads/{enquiry_id}": {"patch"},
    "/api/v1/templates": {"get"},
    "/api/v1/templates/{template_id}": {"get"},
    "/api/v1/templates/{template_id}/preview": {"post"},
    "/api/v1/automations/rules": {"get"},
    "/api/v1/patients/{patient_id}/automation-log": {"get"},
    "/api/v1/privacy/requests": {"get", "post"},
    "/api/v1/privacy/requests/{request_id}": {"get"},
    "/api/v1/privacy/requests/{request_id}/verify-identity": {"post"},
    "/api/v1/privacy/requests/{request_id}/extend": {"post"},
    "/api/v1/privacy/requests/{request_id}/notes": {"post"},
    "/api/v1/privacy/requests/{request_id}/complete": {"post"},
    "/api/v1/privacy/requests/{request_id}/refuse": {"post"},
    "/api/v1/privacy/requests/{request_id}/withdraw": {"post"},
    "/api/v1/patients/{patient_id}/export": {"get", "post"},
    "/api/v1/exports/{export_id}": {"get"},
    "/api/v1/clinic/export": {"post"},
    "/api/v1/clinic/export/{export_id}": {"get"},
    "/api/v1/team/members": {"get"},
    "/api/v1/team/members/{user_id}": {"patch", "delete"},
    "/api/v1/team/invitations": {"get", "post"},
    "/api/v1/team/invitations/{invitation_id}": {"delete"},
    "/api/v1/team/invitations/{invitation_id}/resend": {"post"},
    "/api/v1/usage": {"get"},
}


def test_healthz_answers_200_when_the_database_is_reachable() -> None:
    """The load balancer's probe: no key needed, the database answers."""
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_schema_is_valid_json_listing_every_endpoint() -> None:
    """Served without a key; every path with its methods, and the bearer scheme."""
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "AES-CRM API"
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    assert paths == ENDPOINTS
    for path, methods in ENDPOINTS.items():
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation["security"], f"{method} {path} is not authenticated"
            assert {"401", "403", "404", "422", "429"} <= set(operation["responses"])


def test_the_docs_page_is_served(clinic_a: Any) -> None:
    """The interactive docs page loads the schema."""
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_unknown_api_paths_and_wrong_methods_answer_problem_json(clinic_a: Any) -> None:
    api = clinic_a.api()

    missing = api.get("/api/v1/no-such-thing")
    wrong_method = api.put("/api/v1/treatments", "{}", content_type="application/json")

    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert "/api/v1/no-such-thing" in missing.json()["detail"]
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"] == "application/problem+json"
    assert "GET" in wrong_method.json()["detail"] and "GET" in wrong_method["Allow"]


def test_pages_outside_the_api_keep_their_html_errors(client: Any) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "json" not in response["Content-Type"]
