"""Arbitrary input never makes the API fail: the answer is a success or a 4xx problem
that names the field, never a 5xx.

Hypothesis sends JSON of every shape (wrong types, NUL bytes, lone surrogates,
huge strings, odd unicode, out-of-range numbers and dates) to every endpoint
that takes a body, and arbitrary query strings to the list endpoints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from aescrm.api.tests.helpers import booking, slot
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment, Patient

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    # AESCRM_FUZZ_EXAMPLES=2000 for a long hunt; the suite keeps it quick.
    max_examples=int(os.environ.get("AESCRM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text with everything a JSON string can carry: NUL and control characters, lone
# surrogates, combining marks, right-to-left and astral characters.
any_char = st.characters(codec=None)
special_text = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\ud800", "Zoë", "ﷺ", "👩‍⚕️", "\u202e", "null", "0", "-1"]
)
texts = st.one_of(
    special_text,
    st.text(any_char, max_size=40),
    st.builds(
        lambda s, n: s * n, st.text(any_char, min_size=1, max_size=3), st.integers(90, 20000)
    ),
)
query_texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(["\x00", "a\x00", "%", "07700 900123", "+44", "ab", "🦷", "x" * 5000]),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.sampled_from([0, -1, 2**31, 2**63, 1e308]),
)
datetimes = st.one_of(
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "9999-12-31T23:59:59+00:00",
            "0001-01-01T00:00:00+01:00",
            "0001-01-01T00:00:00-14:00",
            "2030-02-30T10:00:00Z",
            "2030-01-01T10:00:00+25:00",
            "tomorrow",
        ]
    ),
)
dates = st.one_of(st.dates().map(dt.date.isoformat), st.sampled_from(["1899-12-31", "3000-01-01"]))
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=8,
)
uuids = st.one_of(st.uuids().map(str), texts)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings: Any) -> None:
    """Hundreds of requests a minute are the point here, not a breach of the limit."""
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9


def _assert_handled(response: Any) -> None:
    """Success, or a problem-details 4xx that names at least one field."""
    status = response.status_code
    assert status < 500, (status, response.content[:500])
    if status >= 400:
        assert response["Content-Type"] == "application/problem+json", response.content[:300]
        body = response.json()
        assert body["status"] == status
        assert body["detail"]
        fields = [e["field"] for e in body.get("errors") or []]
        assert fields and all(isinstance(f, str) and f for f in fields), body


def _fields(**values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies with any subset of the fields, each either plausible or any JSON value."""
    return st.fixed_dictionaries(
        {}, optional={name: strategy | json_values for name, strategy in values.items()}
    ) | st.dictionaries(texts, json_values, max_size=3)


patient_bodies = _fields(
    first_name=texts,
    last_name=texts,
    email=texts | st.emails(),
    phone=texts | st.from_regex(r"\A[+0][0-9 ()-]{2,20}\Z"),
    date_of_birth=dates,
    address=texts,
    notes=texts,
    stage=st.sampled_from(["lead", "patient", "lost", "LEAD"]),
    tags=st.lists(texts, max_size=60),
    consent=st.dictionaries(st.sampled_from(["sms", "email", "phone", "fax"]), json_values),
    consent_wording=texts,
    restricted=json_values,
)
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"[]", b"null", b'"x"', b"\x00", b'{"first_name": NaN}']),
)


def _post_raw(api: Any, path: str, raw: bytes) -> Any:
    return api.generic("POST", path, raw, content_type="application/json", **api._auth({}))


@FUZZ
@given(body=patient_bodies)
def test_post_patients_never_fails(clinic_a: Any, body: dict[str, Any]) -> None:
    """Any JSON object as a new patient."""
    _assert_handled(clinic_a.api().post("/api/v1/patients", body))


@FUZZ
@given(raw=raw_bodies)
def test_post_patients_with_a_body_that_is_not_an_object_never_fails(
    clinic_a: Any, raw: bytes
) -> None:
    """Bytes that are not JSON, or JSON that is not an object."""
    _assert_handled(_post_raw(clinic_a.api(), "/api/v1/patients", raw))


@pytest.fixture
def patient(clinic_a: Any) -> Patient:
    """One patient for a whole run of examples (fixtures are not re-made per example)."""
    return clinic_a.make_patient(first_name="Fuzz", email="fuzz@example.com")


@pytest.fixture
def appointment(clinic_a: Any, patient: Patient) -> Appointment:
    with clinic_scope(clinic_a.clinic.pk):
        return services.appointment_book(
            caller=clinic_a.caller(),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=slot(days=3, hour=8),
        )


@FUZZ
@given(body=patient_bodies)
def test_patch_patient_never_fails(clinic_a: Any, patient: Patient, body: dict[str, Any]) -> None:
    """Each example patches the same patient, however the examples before left it."""
    _assert_handled(clinic_a.api().patch(f"/api/v1/patients/{patient.pk}", body))


appointment_fields = {
    "starts_at": datetimes,
    "ends_at": datetimes,
    "value_pence": numbers,
}


@FUZZ
@given(
    body=_fields(patient=uuids, treatment=uuids, practitioner=uuids, **appointment_fields),
    keep=st.sets(st.sampled_from(["patient", "treatment", "practitioner", "starts_at"])),
)
def test_post_appointments_never_fails(
    clinic_a: Any, patient: Patient, body: dict[str, Any], keep: set[str]
) -> None:
    """Bodies mixing valid references and times with arbitrary values."""
    valid = booking(clinic_a, str(patient.pk), slot(days=2))
    merged = {**body, **{k: valid[k] for k in keep}}
    try:
        _assert_handled(clinic_a.api().post("/api/v1/appointments", merged))
    finally:
        # Free the calendar, so the next example can book the same slot.
        with clinic_scope(clinic_a.clinic.pk):
            Appointment.objects.all().delete()


@FUZZ
@given(
    body=_fields(
        practitioner=uuids,
        status=st.sampled_from(["booked", "confirmed", "cancelled", "no_show", "attended", "x"]),
        cancellation_reason=texts,
        **appointment_fields,
    )
)
def test_patch_appointment_never_fails(
    clinic_a: Any, appointment: Appointment, body: dict[str, Any]
) -> None:
    """Any change to an existing appointment: times, practitioner, status, reason, value."""
    url = f"/api/v1/appointments/{appointment.pk}"
    try:
        _assert_handled(clinic_a.api().patch(url, body))
    finally:
        # Put the appointment back as it was for the next example.
        with clinic_scope(clinic_a.clinic.pk):
            Appointment.objects.filter(pk=appointment.pk).update(
                starts_at=appointment.starts_at,
                ends_at=appointment.ends_at,
                practitioner=appointment.practitioner,
                status=appointment.status,
                cancellation_reason=None,
                value_pence=appointment.value_pence,
            )


@FUZZ
@given(
    body=_fields(patient=uuids, channel=texts, treatment=uuids, message=texts), keep=st.booleans()
)
def test_post_enquiries_never_fails(
    clinic_a: Any, patient: Patient, body: dict[str, Any], keep: bool
) -> None:
    """Any enquiry body, for a real patient or not."""
    if keep:
        body = {**body, "patient": str(patient.pk)}
    _assert_handled(clinic_a.api().post("/api/v1/enquiries", body))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["search", "cursor", "limit", "stage", "x"]), query_texts, max_size=4
    ),
    raw=st.binary(max_size=30),
)
def test_get_patients_with_any_query_never_fails(
    clinic_a: Any, params: dict[str, str], raw: bytes
) -> None:
    """Any search text, cursor, limit and stage; and raw bytes that are not UTF-8."""
    api = clinic_a.api()
    _assert_handled(api.get("/api/v1/patients", params))
    _assert_handled(api.get(f"/api/v1/patients?search={quote_from_bytes(raw)}"))


list_queries = {
    "/api/v1/enquiries": ["patient", "status", "limit"],
    "/api/v1/appointments": ["from", "to", "practitioner", "patient"],
    "/api/v1/audit": ["action", "object_id", "actor", "before", "limit"],
    "/api/v1/conversions/google-ads.csv": ["since"],
}


@FUZZ
@given(
    path=st.sampled_from(sorted(list_queries)),
    values=st.lists(query_texts | datetimes, min_size=5, max_size=5),
    mask=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_other_lists_with_any_query_never_fail(
    clinic_a: Any, path: str, values: list[str], mask: list[bool]
) -> None:
    """Enquiry, appointment and audit lists with any filter values."""
    names = list_queries[path]
    params = {name: value for name, value, on in zip(names, values, mask, strict=False) if on}
    _assert_handled(clinic_a.api().get(f"{path}?{urlencode(params)}"))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/api/v1/patients",
            {"first_name": "A", "email": "a@example.com", "consent_wording": "x\x00"},
        ),
        ("/api/v1/patients", {"first_name": "A", "email": "b@example.com", "tags": ["a\x00"]}),
        ("/api/v1/patients", {"first_name": "\x00", "email": "c@example.com"}),
        (
            "/api/v1/enquiries",
            {"patient": str(uuid.UUID(int=1)), "channel": "chat", "message": "\x00"},
        ),
    ],
)
def test_nul_characters_are_refused_naming_the_field(
    clinic_a: Any, path: str, body: dict[str, Any]
) -> None:
    """PostgreSQL text cannot hold NUL: it is refused up front, on either engine."""
    response = clinic_a.api().post(path, body)

    assert response.status_code == 422, response.content
    _assert_handled(response)


def test_an_unparseable_body_names_the_body(clinic_a: Any) -> None:
    """A body that is not JSON at all is a 400 naming the body."""
    response = _post_raw(clinic_a.api(), "/api/v1/patients", b"{not json")

    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == [
        {"field": "body", "message": "Cannot parse request body"}
    ]


def test_a_body_over_the_size_limit_is_413_naming_the_body(clinic_a: Any) -> None:
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a 4xx, not a crash."""
    response = clinic_a.api().post(
        "/api/v1/patients", {"first_name": "A", "email": "a@example.com", "notes": "x" * 3_000_000}
    )

    assert response.status_code == 413
    _assert_handled(response)
    assert response.json()["errors"] == [
        {"field": "body", "message": "the request body is larger than the server accepts"}
    ]
