"""`make bench` generates its clinic in bulk (bench/generate.py) and writes the report
from the runs (bench/report.py): keep both in step with the schema, on both engines.
The generator once broke unseen when patient keys changed the ciphertext format."""

from __future__ import annotations

import urllib.parse
import uuid

import pytest
from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient, PatientSearchToken
from aescrm.patients.search import patient_grams


@pytest.mark.django_db
def test_generated_patients_are_encrypted_and_found_by_the_api() -> None:
    from bench import generate

    data = generate.generate(60, seed=7)

    clinic_id = uuid.UUID(data["clinic_id"])
    with clinic_scope(clinic_id):
        assert Patient.objects.count() == 60
        patient = Patient.objects.get(pk=data["phone_expect"][0])
        tokens = PatientSearchToken.objects.filter(patient=patient).count()
    assert tokens == len(patient_grams(patient))  # one row per distinct gram, as the app writes

    client = Client(HTTP_AUTHORIZATION=f"Bearer {data['api_key']}")
    query = data["surname_queries"][0]
    found = client.get(f"/api/v1/patients?search={urllib.parse.quote(query)}").json()
    assert found["items"] and all(query in p["last_name"].lower() for p in found["items"])
    phone = data["phone_queries"][0]
    found = client.get(f"/api/v1/patients?search={urllib.parse.quote(phone)}").json()
    assert [p["id"] for p in found["items"]] == [data["phone_expect"][0]]


def test_an_api_only_run_keeps_the_sections_it_did_not_measure() -> None:
    from bench import report

    old = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `make bench` on 2026-11-27 14:53 UTC; every run overwrites this file.",
            "",
            "## Machine",
            "- old machine",
            "## SQLite 3.40.1",
            "| old | figures |",
            "## Messaging on SQLite",
            "| 163 | texts |",
            "## Website assistant on PostgreSQL 15.20",
            "| 42 | turns |",
            report.NOTES[0],
            "old notes",
        ]
    )
    written, kept = report.kept_sections(old)
    assert written == "2026-11-27 14:53 UTC"
    assert kept.splitlines() == [
        "## Messaging on SQLite",
        "| 163 | texts |",
        "## Website assistant on PostgreSQL 15.20",
        "| 42 | turns |",
    ]
