"""Generate the benchmark clinic: one clinic, an API key and N patients, fast.

Bench-only. Patients go through the model layer (``bulk_create`` calls each
field's ``pre_save``, so names, email, phone, date of birth, address and
notes are encrypted and the blind indexes computed exactly as
``patient_create`` does); their search tokens are the same keyed hashes of
the same grams ``reindex_patient`` writes, inserted in bulk. Everything runs
inside ``clinic_scope``, so on PostgreSQL row-level security checks every
row. Prints one JSON object describing the dataset (API key, sample ids and
queries) for ``bench.run``.

Usage: python -m bench.generate --patients 50000 --out var/bench/sqlite.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

SAMPLES = 200


def _phone_national(e164: str) -> str:
    """+447400123456 -> "07400 123456", the way a receptionist types it."""
    national = "0" + e164.removeprefix("+44")
    return f"{national[:5]} {national[5:]}"


def _make_patients(n: int, rng: random.Random) -> list[Any]:
    from aescrm.patients.models import Patient, Stage
    from aescrm.patients.normalise import clean_email, clean_phone
    from bench.names import EMAIL_DOMAINS, FIRST_NAMES, SURNAMES

    # Unique UK mobile numbers 07400 000000-07899 999999; the HTTP create
    # benchmark uses 07911 xxxxxx, so the two never clash.
    mobiles = rng.sample(range(400_000_000, 900_000_000), n)
    today = dt.date.today()  # noqa: DTZ011 - a date of birth has no time zone
    stages = [Stage.PATIENT] * 6 + [Stage.LEAD] * 3 + [Stage.LOST]
    patients = []
    for i in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        # clean_* are the functions patient_create uses on API input.
        email = clean_email(f"{first}.{last}{i}@{rng.choice(EMAIL_DOMAINS)}")
        phone = clean_phone(f"07{mobiles[i]:09d}")
        dob = today - dt.timedelta(days=rng.randint(18 * 365, 85 * 365))
        patients.append(
            Patient(
                first_name=first,
                last_name=last,
                email=email,
                phone=phone,
                date_of_birth=dob.isoformat() if rng.random() < 0.7 else None,
                address=f"{rng.randint(1, 240)} High Street, Bristol BS1 {rng.randint(1, 9)}AB"
                if rng.random() < 0.4
                else None,
                notes="Prefers morning appointments." if rng.random() < 0.2 else None,
                stage=rng.choice(stages),
                consent_sms=rng.random() < 0.5,
                consent_email=rng.random() < 0.5,
                consent_phone=rng.random() < 0.3,
            )
        )
    return patients


def _insert_tokens(clinic_id: uuid.UUID, patients: list[Any], cache: dict[str, bytes]) -> int:
    """The rows ``search.reindex_patient`` would write, in one statement per batch."""
    from aescrm.crypto.keys import search_token
    from aescrm.patients.search import insert_tokens, patient_grams

    patient_ids: list[uuid.UUID] = []
    tokens: list[bytes] = []
    for patient in patients:
        distinct = set()
        for gram in patient_grams(patient):
            token = cache.get(gram)
            if token is None:
                token = cache[gram] = search_token(clinic_id, gram)
            distinct.add(token)
        patient_ids += [patient.pk] * len(distinct)
        tokens += distinct
    insert_tokens(clinic_id, list(zip(patient_ids, tokens, strict=True)))
    return len(tokens)


def _check_encrypted(clinic_id: uuid.UUID, patient: Any) -> None:
    """Read the raw row: ciphertext, not plaintext, and it decrypts to the value."""
    from django.db import connection

    from aescrm.crypto import keys
    from aescrm.crypto.fields import associated_data
    from aescrm.patients.models import Patient

    pid = patient.pk if connection.vendor == "postgresql" else patient.pk.hex
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT last_name, email, phone FROM {Patient._meta.db_table} WHERE id = %s",
            [pid],
        )
        row = cursor.fetchone()
    assert row is not None, "generated patient not found"
    for column, raw in zip(("last_name", "email", "phone"), row, strict=True):
        blob = bytes(raw)
        plain = getattr(patient, column)
        assert plain.encode() not in blob, f"{column} is stored in plaintext"
        under = keys.ciphertext_patient(blob)
        assert under == patient.pk, f"{column} is not under the patient's key"
        aad = associated_data(patient, column)
        assert keys.decrypt(clinic_id, aad, blob) == plain, f"{column} does not decrypt"


def generate(n: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from aescrm.accounts.permissions import Scope
    from aescrm.accounts.services import api_key_create, clinic_create
    from aescrm.core.tenancy import clinic_scope
    from aescrm.patients.models import Patient, PatientSearchToken

    rng = random.Random(seed)
    started = time.monotonic()
    if connection.vendor == "sqlite":
        # A bigger page cache for this bulk load only (a connection setting,
        # nothing in the database file changes): the token index is inserted
        # in random order and thrashes SQLite's default 2 MB cache.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")
    clinic = clinic_create(name="Benchmark Dental & Aesthetics", slug=f"bench-{seed}")
    # A rate limit far above what the benchmark sends: it measures the
    # server, not the 429 path (the limiter's cache work still runs).
    _, api_key = api_key_create(
        clinic=clinic, name="benchmark", scopes=[s.value for s in Scope], rate_limit=10**9
    )
    token_rows = 0
    cache: dict[str, bytes] = {}
    batch = 5000
    samples: list[Any] = []
    with clinic_scope(clinic.pk):
        for start in range(0, n, batch):
            patients = _make_patients(min(batch, n - start), rng)
            with transaction.atomic():
                Patient.objects.bulk_create(patients, batch_size=1000)
                token_rows += _insert_tokens(clinic.pk, patients, cache)
            print(f"  {start + len(patients)} patients", file=sys.stderr, flush=True)
            samples += rng.sample(patients, min(len(patients), SAMPLES // max(1, n // batch) + 1))
        _check_encrypted(clinic.pk, samples[0])
        counted = Patient.objects.count()
        tokens_counted = PatientSearchToken.objects.count()
    assert counted == n, f"expected {n} patients, found {counted}"
    assert tokens_counted == token_rows, "search token rows went missing"
    seconds = time.monotonic() - started

    samples = samples[:SAMPLES]
    # Part of a surname (4 or 5 letters, from its start or middle), as staff type it.
    surname_parts = []
    for p in samples[:40]:
        last = p.last_name.lower()
        size = min(len(last), rng.choice((4, 5)))
        at = rng.randint(0, len(last) - size)
        surname_parts.append(last[at : at + size])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        engine_version = cursor.fetchone()[0]
    return {
        "engine": connection.vendor,
        "engine_version": engine_version,
        "clinic_id": str(clinic.pk),
        "api_key": api_key,
        "public_key": clinic.public_key,
        "patients": n,
        "search_token_rows": token_rows,
        "generate_seconds": round(seconds, 1),
        "read_ids": [str(p.pk) for p in samples],
        "surname_queries": surname_parts,
        "phone_queries": [_phone_national(p.phone) for p in samples[:40]],
        "phone_expect": [str(p.pk) for p in samples[:40]],
    }


def settle() -> None:
    """On PostgreSQL, what autovacuum does shortly after a bulk load, done before the
    measurements rather than during them: statistics for the planner, and the visibility
    map that lets a search read the covering token index without visiting the table.
    (Outside any transaction: VACUUM cannot run in one.)"""
    from django.db import connection, connections

    from aescrm.keyvault.models import VAULT_DB, PatientKey
    from aescrm.patients.models import Patient, PatientSearchToken

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Patient, PatientSearchToken):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    with connections[VAULT_DB].cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {PatientKey._meta.db_table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not 1 <= args.patients <= 1_000_000:
        sys.exit("--patients must be between 1 and 1,000,000")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aescrm.settings")
    import django

    django.setup()
    result = generate(args.patients, args.seed)
    settle()
    # What the worker's nightly task does in a running deployment.
    from aescrm.core.maintenance import refresh_planner_statistics

    refresh_planner_statistics()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(
        f"generated {result['patients']} patients ({result['search_token_rows']} search tokens) "
        f"on {result['engine']} in {result['generate_seconds']} s"
    )


if __name__ == "__main__":
    main()
