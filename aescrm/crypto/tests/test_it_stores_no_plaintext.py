"""A patient's personal data never reaches the database in plaintext.

The test reads the raw database the way someone holding a copy of it would:
the SQLite file's bytes (and its write-ahead log), or on PostgreSQL every
column of every row of every table, as text, with row-level security
bypassed so nothing is hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from aescrm.core.tenancy import unscoped

# Distinctive values that cannot occur in the database by chance.
PATIENT = {
    "first_name": "Quentinella",
    "last_name": "Zybrowskiwicz",
    "email": "Quentinella.Zybrowski@Distinct-Mail.example",
    "phone": "07700 900987",
    "date_of_birth": "1987-06-05",
    "address": "42 Wallaby Lane, Little Snoring, NR21 0AA",
    "notes": "Allergic to penicillin; marker Xylophonic-5f3a9c",
}
ENQUIRY_MESSAGE = "Interested in Invisalign-Marmalade-77q before my wedding"


def _needles() -> list[str]:
    values = [v for k, v in PATIENT.items() if k != "phone"]
    values += ["+447700900987", "447700900987", "07700900987", "07700 900987", ENQUIRY_MESSAGE]
    # Parts that an index or a careless log might hold on their own.
    values += ["Xylophonic-5f3a9c", "Wallaby Lane", "Invisalign-Marmalade"]
    return sorted({form for value in values for form in (value, value.lower())})


def _sqlite_bytes() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(settings.DATABASES["default"]["NAME"])
    assert path.is_file(), f"the test database is not a file: {path}"
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            data += extra.read_bytes()
    return data


def _postgres_rows() -> list[str]:
    reason = "test: read every row as an attacker with the database would"
    with unscoped(reason), connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        rows: list[str] = []
        for table in tables:
            cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
            rows += [row[0] for row in cursor.fetchall()]
    return rows


def test_it_finds_none_of_a_patients_plaintext_in_the_raw_database(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: Any
) -> None:
    """Name, email, phone, date of birth, address, notes and enquiry text are stored only
    as ciphertext; none of them (nor their lower-case forms) is in the raw database."""
    # Given a patient and an enquiry created through the API
    api = clinic_a.api()
    created = api.post("/api/v1/patients", PATIENT)
    assert created.status_code == 201, created.content
    patient_id = created.json()["id"]
    enquiry = api.post(
        "/api/v1/enquiries",
        {"patient": patient_id, "channel": "web_form", "message": ENQUIRY_MESSAGE},
    )
    assert enquiry.status_code == 201, enquiry.content
    # ... which the API reads back in plaintext (so the values did reach the database)
    read = api.get(f"/api/v1/patients/{patient_id}").json()
    assert read["last_name"] == "Zybrowskiwicz"
    assert read["phone"] == "+447700900987"
    assert api.get("/api/v1/patients", {"search": "zybrow"}).json()["items"][0]["id"] == patient_id

    # When the raw database is read
    if connection.vendor == "sqlite":
        raw = _sqlite_bytes()
        # The read sees committed rows: a plaintext column of this test is there.
        assert b"Hygienist appointment" in raw
        found = [n for n in _needles() if n.encode() in raw]
    else:
        rows = _postgres_rows()
        blob = "\n".join(rows)
        # The read sees every row: the patient's and a plaintext column of this test.
        assert patient_id in blob
        assert "Hygienist appointment" in blob
        hex_blob = blob.lower()
        found = [n for n in _needles() if n in blob or n.encode().hex() in hex_blob]

    # Then no plaintext value appears
    assert found == []
