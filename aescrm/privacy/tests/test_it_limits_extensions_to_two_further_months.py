"""An extension goes at most two further months beyond the original due date, needs the reason
and the date the person was told (within the first month), and is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.privacy import services
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.tests.support import audit_actions, fresh, log_request, today
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def _extend(world: ClinicWorld, request: PrivacyRequest, **kwargs: object) -> PrivacyRequest:
    fields = {"months": 2, "reason": "Many years of records", "person_told_on": today(world)}
    fields.update(kwargs)
    with clinic_scope(world.clinic.pk):
        return services.privacy_request_extend(
            caller=world.caller("manager"),
            request=request,
            **fields,  # type: ignore[arg-type]
        )


def test_two_further_months_counted_from_receipt(clinic_a: ClinicWorld) -> None:
    received = today(clinic_a) - dt.timedelta(days=3)
    request = log_request(clinic_a, clinic_a.make_patient(), received_on=received)

    _extend(clinic_a, request, months=2)

    now = fresh(clinic_a, request)
    assert now.due_on == services.deadlines.due_date(received)
    assert now.extended_until == services.deadlines.extended_due_date(received, 2)
    assert now.deadline == now.extended_until
    assert now.extension_reason == "Many years of records"
    assert now.person_told_on == today(clinic_a)
    assert audit_actions(clinic_a, request)[-1] == "privacy.request.extend"


def test_one_month_then_a_second_is_allowed_but_not_a_third(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    _extend(clinic_a, request, months=1)
    _extend(clinic_a, request, months=2)
    assert fresh(clinic_a, request).extension_months == 2

    with pytest.raises(ValidationFailed) as error:
        _extend(clinic_a, request, months=3)
    assert error.value.field == "months"
    assert "at most two further months" in error.value.detail
    assert fresh(clinic_a, request).extension_months == 2


def test_an_extension_must_go_beyond_the_current_one(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    _extend(clinic_a, request, months=2)
    with pytest.raises(Conflict) as error:
        _extend(clinic_a, request, months=1)
    assert error.value.field == "months"


def test_refused_without_the_date_the_person_was_told(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    with pytest.raises(ValidationFailed) as error:
        _extend(clinic_a, request, person_told_on=None)
    assert error.value.field == "person_told_on"
    now = fresh(clinic_a, request)
    assert now.extended_until is None and now.extension_months == 0
    assert "privacy.request.extend" not in audit_actions(clinic_a, request)


def test_refused_without_a_reason(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    with pytest.raises(ValidationFailed) as error:
        _extend(clinic_a, request, reason="  ")
    assert error.value.field == "reason"


def test_the_person_must_be_told_within_the_first_month(clinic_a: ClinicWorld) -> None:
    received = today(clinic_a) - dt.timedelta(days=45)
    request = log_request(clinic_a, clinic_a.make_patient(), received_on=received)
    with pytest.raises(ValidationFailed) as late:
        _extend(clinic_a, request, person_told_on=today(clinic_a))
    assert late.value.field == "person_told_on" and "within one month" in late.value.detail

    with pytest.raises(ValidationFailed) as before:
        _extend(clinic_a, request, person_told_on=received - dt.timedelta(days=1))
    assert before.value.field == "person_told_on"

    _extend(clinic_a, request, person_told_on=received + dt.timedelta(days=10))
    assert fresh(clinic_a, request).extension_months == 2


def test_a_closed_request_cannot_be_extended(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient(), verified=True)
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_complete(
            caller=clinic_a.caller(), request=request, outcome="Copy sent by post"
        )
    with pytest.raises(Conflict):
        _extend(clinic_a, request)
