"""Partial search over encrypted names, emails and phone numbers.

Each patient has a set of short keyed hashes ("tokens") of the trigrams of
their name words, email and phone digits, plus one token per whole word.
A query becomes the same tokens; candidates are the patients holding all
of them; each candidate is then decrypted and checked, so false positives
never reach the caller. See docs/decisions/0003 for what this reveals.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from aescrm.core.tenancy import CrossClinicWrite, current_clinic_id
from aescrm.crypto.keys import search_token
from aescrm.patients.models import Patient, PatientSearchToken
from aescrm.patients.normalise import fold, phone_digits_for_search, words

MIN_QUERY_CHARS = 2


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _grams_for_text(value: str) -> set[str]:
    grams: set[str] = set()
    for word in words(value):
        grams.add("w:" + word)
        grams |= {"g:" + g for g in _trigrams(word)}
    return grams


def patient_grams(patient: Patient) -> set[str]:
    grams = _grams_for_text(patient.first_name or "") | _grams_for_text(patient.last_name or "")
    if patient.email:
        grams |= _grams_for_text(patient.email)
    if patient.phone:
        digits = patient.phone.lstrip("+")
        grams |= {"g:" + g for g in _trigrams(digits)}
        grams.add("w:" + digits)
    return grams


def reindex_patient(patient: Patient) -> None:
    """Replace a patient's tokens after their name, email or phone changed."""
    PatientSearchToken.objects.filter(patient=patient).delete()
    index_new_patient(patient)


def index_new_patient(patient: Patient) -> None:
    """Write the tokens of a patient who has none yet."""
    tokens = {search_token(patient.clinic_id, g) for g in patient_grams(patient)}
    insert_tokens(patient.clinic_id, [(patient.pk, t) for t in tokens])


def insert_tokens(clinic_id: uuid.UUID, rows: list[tuple[uuid.UUID, bytes]]) -> None:
    """Search-token rows in one statement: a patient has ~30, and building a model
    object for each cost more than the rest of adding the patient (decision 0015)."""
    if not rows:
        return
    if clinic_id != current_clinic_id():  # raw SQL skips the scoped manager: check here
        raise CrossClinicWrite("search tokens belong to another clinic")
    table = PatientSearchToken._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (clinic_id, patient_id, token) "  # noqa: S608 - no user input
                "SELECT %s::uuid, p, t FROM unnest(%s::uuid[], %s::bytea[]) AS u(p, t)",
                [clinic_id, [pid for pid, _ in rows], [token for _, token in rows]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (clinic_id, patient_id, token) VALUES (%s, %s, %s)",  # noqa: S608
                [(clinic_id.hex, pid.hex, token) for pid, token in rows],
            )


def query_grams(query: str) -> set[str] | None:
    """Grams a match must contain, or None when the query is too short to search."""
    digits = phone_digits_for_search(query)
    if digits is not None:
        return {"g:" + g for g in _trigrams(digits)}
    grams: set[str] = set()
    for word in words(query):
        grams |= {"g:" + g for g in _trigrams(word)} if len(word) >= 3 else {"w:" + word}
    return grams or None


# A query's tokens are narrowed to the rarest few before candidates are
# collected. Counting stops at COUNT_CAP rows per token, so the narrowing costs
# at most tokens x COUNT_CAP index entries however common a token is.
MAX_QUERY_TOKENS = 4
COUNT_CAP = 1000


def _rarest(clinic_id: uuid.UUID, tokens: list[bytes]) -> list[bytes]:
    """The query's rarest tokens (capped counts, one statement); [] when one has no rows."""
    if len(tokens) <= MAX_QUERY_TOKENS:
        return tokens
    table = PatientSearchToken._meta.db_table
    clinic = PatientSearchToken._meta.get_field("clinic").get_db_prep_value(clinic_id, connection)
    # The clinic is explicit here (raw SQL skips the scoped manager); on
    # PostgreSQL row-level security applies as well.
    capped = (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} "  # noqa: S608 - no user input
        f"WHERE clinic_id = %s AND token = %s LIMIT {COUNT_CAP}) AS c{{i}})"
    )
    sql = "SELECT " + ", ".join(capped.format(i=i) for i in range(len(tokens)))
    params: list[Any] = []
    for token in tokens:
        params += [clinic, token]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = cursor.fetchone()
    if min(counts) == 0:
        return []
    ranked = sorted(range(len(tokens)), key=lambda i: (counts[i], i))
    return [tokens[i] for i in ranked[:MAX_QUERY_TOKENS]]


def candidate_ids(
    clinic_id: uuid.UUID, query: str
) -> QuerySet[PatientSearchToken, uuid.UUID] | None:
    """Patients holding the query's rarest tokens: a superset of the matches.

    Every candidate is confirmed by ``matches`` (decrypting it) before it is
    shown, so narrowing to fewer tokens never changes the answer, only how
    many candidates are decrypted. A phone number's trigram "447" is in every
    UK patient; two or three rare trigrams already pin a number down.
    """
    grams = query_grams(query)
    if grams is None:
        return None
    tokens = _rarest(clinic_id, sorted({search_token(clinic_id, g) for g in grams}))
    return (
        PatientSearchToken.objects.filter(token__in=tokens)
        .values("patient_id")
        .annotate(n=Count("token", distinct=True))
        .filter(n=len(tokens))
        .values_list("patient_id", flat=True)
    )


def matches(patient: Patient, query: str) -> bool:
    """Confirm a candidate by decrypting it: removes hash-collision false positives."""
    digits = phone_digits_for_search(query)
    if digits is not None:
        return bool(patient.phone) and digits in patient.phone.lstrip("+")
    haystack = fold(" ".join(filter(None, [patient.first_name, patient.last_name, patient.email])))
    hay_words = words(haystack)
    for word in words(query):
        if len(word) >= 3:
            if word not in haystack:
                return False
        elif word not in hay_words:
            return False
    return True
