"""Owners, managers, receptionists and clinicians may book against the rules with a
reason; an API key needs the appointments:override scope. The override is kept (reason
encrypted) and audited. Overlaps are never overridable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.accounts.permissions import Role, Scope
from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem, booking
from aescrm.audit.models import AuditEntry
from aescrm.core.problems import PermissionDenied, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment
from aescrm.scheduling.models import BookingOverride
from aescrm.scheduling.tests.support import LONDON
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def _yesterday_at_ten() -> dt.datetime:
    day = dt.datetime.now(LONDON).date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.RECEPTIONIST, Role.CLINICIAN])
def test_a_permitted_role_books_in_the_past_with_a_reason(clinic_a: Any, role: str) -> None:
    patient = clinic_a.make_patient(email="late@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        appointment = services.appointment_book(
            caller=clinic_a.caller(role),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=_yesterday_at_ten(),
            override=True,
            override_reason="Walk-in seen yesterday, entered today",
        )
        override = BookingOverride.objects.get(appointment=appointment)
        entry = AuditEntry.objects.get(action="appointment.override", object_id=appointment.pk)

    assert override.rules == ["past"]
    assert override.reason == "Walk-in seen yesterday, entered today"
    assert override.by_id == clinic_a.users[role].pk
    assert entry.detail["rules"] == ["past"]
    assert entry.detail["override"] == str(override.pk)
    assert "Walk-in" not in str(entry.detail)  # the reason may be clinical: not in the log


def test_an_override_needs_a_reason(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="noreason@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as refused:
            services.appointment_book(
                caller=clinic_a.caller(Role.MANAGER),
                patient=patient,
                treatment=clinic_a.treatment,
                practitioner=clinic_a.practitioner,
                starts_at=_yesterday_at_ten(),
                override=True,
                override_reason="  ",
            )
        assert Appointment.objects.count() == 0
    assert refused.value.field == "override_reason"


def test_a_marketer_cannot_book_at_all(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="marketer@example.com")
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(PermissionDenied):
        services.appointment_book(
            caller=clinic_a.caller(Role.MARKETER),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=_yesterday_at_ten(),
            override=True,
            override_reason="Because",
        )


def test_an_api_key_without_the_override_scope_is_refused(clinic_a: Any) -> None:
    """appointments:write books within the rules only; the override is 403 and books nothing."""
    _, key = api_key_create(
        clinic=clinic_a.clinic,
        name="booking widget",
        scopes=[Scope.APPOINTMENTS_WRITE.value, Scope.PATIENTS_READ.value],
    )
    patient = clinic_a.make_patient(email="widget@example.com")
    body = booking(
        clinic_a,
        str(patient.pk),
        _yesterday_at_ten(),
        override=True,
        override_reason="Widget says so",
    )

    response = ApiClient(key).post("/api/v1/appointments", body)

    assert_problem(response, 403)
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.count() == 0
        assert BookingOverride.objects.count() == 0


def test_an_api_key_with_the_override_scope_books_and_the_rule_is_named(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="apikey@example.com")
    api = clinic_a.api()  # the fixture key has every scope
    starts = _yesterday_at_ten()

    refused = api.post("/api/v1/appointments", booking(clinic_a, str(patient.pk), starts))
    booked = api.post(
        "/api/v1/appointments",
        booking(clinic_a, str(patient.pk), starts, override=True, override_reason="Imported visit"),
    )

    body = assert_problem(refused, 422, "starts_at")
    assert body["rule"] == "past"
    assert body["refusals"] == [{"rule": "past", "detail": body["detail"]}]
    assert booked.status_code == 201, booked.content
    with clinic_scope(clinic_a.clinic.pk):
        assert BookingOverride.objects.get().rules == ["past"]


def test_an_overlap_is_never_overridable(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="overlap@example.com")
    api = clinic_a.api()
    starts = _yesterday_at_ten()
    first = api.post(
        "/api/v1/appointments",
        booking(clinic_a, str(patient.pk), starts, override=True, override_reason="History"),
    )

    second = api.post(
        "/api/v1/appointments",
        booking(
            clinic_a,
            str(patient.pk),
            starts + dt.timedelta(minutes=15),
            override=True,
            override_reason="Double-book please",
        ),
    )

    assert first.status_code == 201
    assert_problem(second, 409, "starts_at")
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.count() == 1


def test_a_booking_within_the_rules_records_no_override(clinic_a: Any) -> None:
    """Asking for an override when no rule is broken books normally, with nothing to audit."""
    patient = clinic_a.make_patient(email="fine@example.com")
    tomorrow = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=1)
    with clinic_scope(clinic_a.clinic.pk):
        services.appointment_book(
            caller=clinic_a.caller(Role.RECEPTIONIST),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=dt.datetime.combine(tomorrow, dt.time(10), tzinfo=LONDON),
            override=True,
            override_reason="Just in case",
        )
        assert BookingOverride.objects.count() == 0
        assert not AuditEntry.objects.filter(action="appointment.override").exists()
