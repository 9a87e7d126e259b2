"""GET /api/v1/availability: slots with UTC and clinic times; another clinic's treatment
or practitioner is a problem naming the field; clinicians see only themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.accounts.permissions import Role, Scope
from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.scheduling import selectors
from aescrm.scheduling.tests.support import LONDON, make_practitioner, make_treatment
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def _day(days: int = 7) -> dt.date:
    return dt.datetime.now(LONDON).date() + dt.timedelta(days=days)


def test_it_lists_slots_for_one_practitioner_on_a_day(clinic_a: Any) -> None:
    smith = make_practitioner(clinic_a, "Dr Smith", days=range(7), starts=dt.time(9),
                              ends=dt.time(10))  # fmt: skip
    treatment = make_treatment(clinic_a, minutes=30)
    day = _day()

    response = clinic_a.api().get(
        "/api/v1/availability",
        {
            "treatment": str(treatment.pk),
            "from": day.isoformat(),
            "to": day.isoformat(),
            "practitioner": str(smith.pk),
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["treatment"] == str(treatment.pk)
    assert body["duration_minutes"] == 30
    nine = dt.datetime.combine(day, dt.time(9), tzinfo=LONDON)
    assert body["slots"][0] == {
        "practitioner": {"id": str(smith.pk), "name": "Dr Smith"},
        "starts_at": nine.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "ends_at": (nine + dt.timedelta(minutes=30))
        .astimezone(dt.UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "starts_at_local": nine.isoformat(),
        "ends_at_local": (nine + dt.timedelta(minutes=30)).isoformat(),
        "timezone": "Europe/London",
    }
    assert [s["starts_at_local"][11:16] for s in body["slots"]] == ["09:00", "09:15", "09:30"]


def test_without_a_practitioner_everyone_is_searched(clinic_a: Any) -> None:
    make_practitioner(clinic_a, "Dr Smith", days=range(7))
    treatment = make_treatment(clinic_a)
    day = _day()

    body = (
        clinic_a.api()
        .get(
            "/api/v1/availability",
            {"treatment": str(treatment.pk), "from": day.isoformat(), "to": day.isoformat()},
        )
        .json()
    )

    assert {s["practitioner"]["name"] for s in body["slots"]} == {"Dr Smith", "Dr Test"}


def test_another_clinics_treatment_is_a_problem_naming_treatment(
    clinic_a: Any, clinic_b: Any
) -> None:
    response = clinic_b.api().get("/api/v1/availability", {"treatment": str(clinic_a.treatment.pk)})

    body = assert_problem(response, 422, "treatment")
    assert body["detail"] == "no such treatment in this clinic"


def test_another_clinics_practitioner_is_a_problem_naming_practitioner(
    clinic_a: Any, clinic_b: Any
) -> None:
    response = clinic_b.api().get(
        "/api/v1/availability",
        {"treatment": str(clinic_b.treatment.pk), "practitioner": str(clinic_a.practitioner.pk)},
    )

    assert_problem(response, 422, "practitioner")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"treatment": ""}, "treatment"),
        ({"treatment": "not-a-uuid"}, "treatment"),
        ({"from": "tomorrow"}, "from"),
        ({"from": "2027-01-01T09:00:00"}, "from"),
        ({"from": "2027-01-01", "to": "2027-03-01"}, "to"),
        ({"from": "2027-01-02", "to": "2027-01-01"}, "to"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    clinic_a: Any, params: dict[str, str], field: str
) -> None:
    query = {"treatment": str(clinic_a.treatment.pk), **params}

    assert_problem(clinic_a.api().get("/api/v1/availability", query), 422, field)


def test_a_key_without_appointments_read_is_403(clinic_a: Any) -> None:
    _, key = api_key_create(
        clinic=clinic_a.clinic, name="reports", scopes=[Scope.REPORTS_READ.value]
    )

    response = ApiClient(key).get("/api/v1/availability", {"treatment": str(clinic_a.treatment.pk)})

    assert_problem(response, 403)


def test_a_clinician_sees_only_their_own_slots(clinic_a: Any) -> None:
    """The fixture's Dr Test is the clinician's own practitioner record."""
    smith = make_practitioner(clinic_a, "Dr Smith", days=range(7))
    day = _day()
    start, end = day.isoformat(), day.isoformat()

    with clinic_scope(clinic_a.clinic.pk):
        _, mine = selectors.availability(
            caller=clinic_a.caller(Role.CLINICIAN),
            treatment_id=clinic_a.treatment.pk,
            start=start,
            end=end,
        )
        _, everyone = selectors.availability(
            caller=clinic_a.caller(Role.RECEPTIONIST),
            treatment_id=clinic_a.treatment.pk,
            start=start,
            end=end,
        )
        with pytest.raises(ValidationFailed) as refused:
            selectors.availability(
                caller=clinic_a.caller(Role.CLINICIAN),
                treatment_id=clinic_a.treatment.pk,
                start=start,
                end=end,
                practitioner_id=smith.pk,
            )

    assert {s.practitioner.display_name for s in mine} == {"Dr Test"}
    assert {s.practitioner.display_name for s in everyone} == {"Dr Test", "Dr Smith"}
    assert refused.value.field == "practitioner"
