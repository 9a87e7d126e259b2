"""`make bench` generates its clinic in bulk (bench/generate.py) and writes the report
from the runs (bench/report.py): keep both in step with the schema, on both engines.
The generator once broke unseen when patient keys changed the ciphertext format."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

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
    # A second API-only run still names the full run the kept sections came from.
    again = report.render([_run()], [], [kept], kept_from=written)
    assert report.kept_sections(again) == (written, kept)
    assert kept.splitlines() == [
        "## Messaging on SQLite",
        "| 163 | texts |",
        "## Website assistant on PostgreSQL 15.20",
        "| 42 | turns |",
    ]


def _run() -> dict[str, Any]:
    """bench.run's JSON for one engine, with round figures."""

    def result(rps: float, label: str) -> dict[str, Any]:
        return {"rps": rps, "p50_us": 2000, "p99_us": 9000, "errors": 0, "label": label}

    results = {
        name: result(rps, name)
        for name, rps in {
            "bare": 3000,
            "floor": 400,
            "create": 150,
            "enquiry": 60,
            "search_name": 150,
            "search_phone": 200,
            "read_audit_on": 450,
            "read_audit_off": 500,
            "bare_b": 3000,
        }.items()
    }
    return {
        "engine": "sqlite",
        "engine_version": "3.40.1",
        "dataset": {"patients": 50, "search_token_rows": 1500, "generate_seconds": 1.0},
        "server": "gunicorn aescrm.wsgi",
        "client": "wrk",
        "connections": 8,
        "seconds": 12,
        "warmup": 3,
        "queries": {"search_name": 40, "search_phone": 40, "read": 200},
        "results": results,
    }
