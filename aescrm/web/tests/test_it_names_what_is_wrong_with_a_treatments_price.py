"""A price is typed in pounds, as staff say it; what cannot be a price is named, and
nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.catalogue import price_to_pence
from aescrm.patients.models import Treatment
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£250", 25000),
        ("250", 25000),
        ("249.99", 24999),
        ("£1,250.5", 125050),
        ("£ 99.9", 9990),
        ("0", 0),
        ("100000", 10_000_000),
    ],
)
def test_it_reads_pounds_as_staff_type_them(typed: str, pence: int) -> None:
    assert price_to_pence(typed) == pence


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-5", "The price cannot be negative"),
        ("100000.01", "The price must be at most £100,000"),
        ("249.999", "The price can have at most 2 decimal places (pence)"),
        ("two hundred", "&#x27;two hundred&#x27; is not a price: enter pounds, like 250 or 249.99"),
        ("2,50", "&#x27;2,50&#x27; is not a price: enter pounds, like 250 or 249.99"),
        ("1e3", "&#x27;1e3&#x27; is not a price: enter pounds, like 250 or 249.99"),
        ("", "This field is required."),
    ],
)
def test_the_form_names_the_problem_with_the_price(clinic_a: Any, typed: str, error: str) -> None:
    owner = member_client(clinic_a, "owner")

    response = owner.post(
        "/settings/treatments", {"name": "Lip filler", "duration_minutes": "30", "price": typed}
    )

    assert response.status_code == 400
    assert f'<p class="error" id="id_price_error">{error}' in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not Treatment.objects.filter(name="Lip filler").exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("duration_minutes", "4", "The length must be 5 to 600 minutes"),
        ("duration_minutes", "601", "The length must be 5 to 600 minutes"),
        ("duration_minutes", "half an hour", "The length must be a whole number of minutes"),
        ("buffer_after_minutes", "241", "The time after must be 0 to 240 minutes"),
    ],
)
def test_the_form_names_the_problem_with_the_minutes(
    clinic_a: Any, field: str, value: str, error: str
) -> None:
    owner = member_client(clinic_a, "owner")
    posted = {"name": "Lip filler", "duration_minutes": "30", "price": "250", field: value}

    response = owner.post("/settings/treatments", posted)

    assert response.status_code == 400
    assert f'<p class="error" id="id_{field}_error">{error}' in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not Treatment.objects.filter(name="Lip filler").exists()


def test_the_service_refuses_a_price_out_of_range_too(clinic_a: Any) -> None:
    from aescrm.patients.catalogue import TreatmentInput, treatment_create

    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        treatment_create(
            caller=clinic_a.caller(),
            data=TreatmentInput(name="Veneers", duration_minutes=60, price_pence=-1),
        )
    assert refused.value.field == "price_pence"
