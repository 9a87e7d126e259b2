"""/healthz and the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/patients": {"get", "post"},
    "/api/v1/patients/{patient_id}": {"get", "patch", "delete"},
    "/api/v1/patients/{patient_id}/timeline": {"get"},
    "/api/v1/enquiries": {"get", "post"},
    "/api/v1/treatments": {"get"},
    "/api/v1/practitioners": {"get"},
    "/api/v1/appointments": {"get", "post"},
    "/api/v1/appointments/{appointment_id}": {"get", "patch"},
    "/api/v1/audit": {"get"},
    "/api/v1/leads": {"get"},
    "/api/v1/leads/{enquiry_id}": {"patch"},
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
