"""POST/PATCH /api/v1/treatments and /practitioners with catalogue:write: exact fields back,
partial changes, archiving with ``active``; another clinic's ids are 404 and change nothing;
a key without the scope gets 403; bad input names the field."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db

LIP_FILLER = {
    "name": "Lip filler",
    "category": "Injectables",
    "duration_minutes": 45,
    "price_pence": 25000,
    "prescription_medicine": True,
}


def _key(world: Any, *scopes: str) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="catalogue tool", scopes=list(scopes))
    return ApiClient(secret)


def test_it_adds_changes_and_archives_a_treatment(clinic_a: Any) -> None:
    api = _key(clinic_a, "catalogue:read", "catalogue:write")

    created = api.post("/api/v1/treatments", LIP_FILLER)

    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        **LIP_FILLER,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "active": True,
    }
    changed = api.patch(f"/api/v1/treatments/{body['id']}", {"price_pence": 27500})
    assert changed.status_code == 200
    assert changed.json() == {**body, "price_pence": 27500}
    archived = api.patch(f"/api/v1/treatments/{body['id']}", {"active": False})
    assert archived.json()["active"] is False
    listed = [t["name"] for t in api.get("/api/v1/treatments").json()]
    assert listed == ["Hygienist appointment"]


def test_it_adds_and_changes_a_practitioner(clinic_a: Any) -> None:
    api = _key(clinic_a, "catalogue:write")
    nurse = clinic_a.users["clinician"]

    created = api.post(
        "/api/v1/practitioners",
        {"display_name": "Nurse Amy", "registration": "NMC 12A3456B", "user": str(nurse.pk)},
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "display_name": "Nurse Amy",
        "profession": "",
        "registration": "NMC 12A3456B",
        "user": str(nurse.pk),
        "active": True,
    }
    changed = api.patch(
        f"/api/v1/practitioners/{body['id']}", {"profession": "Nurse", "user": None}
    )
    assert changed.json() == {**body, "profession": "Nurse", "user": None}


def test_bad_input_names_the_field(clinic_a: Any, clinic_b: Any) -> None:
    api = _key(clinic_a, "catalogue:write")

    assert_problem(
        api.post("/api/v1/treatments", {**LIP_FILLER, "price_pence": -1}), 422, "price_pence"
    )
    assert_problem(
        api.post("/api/v1/treatments", {**LIP_FILLER, "duration_minutes": 601}),
        422,
        "duration_minutes",
    )
    duplicate = api.post("/api/v1/treatments", {**LIP_FILLER, "name": "hygienist APPOINTMENT"})
    assert (
        "a treatment called 'Hygienist appointment' already exists"
        in assert_problem(duplicate, 409, "name")["detail"]
    )
    assert_problem(
        api.patch(f"/api/v1/treatments/{clinic_a.treatment.pk}", {"name": None}), 422, "name"
    )
    outsider = clinic_b.users["clinician"]
    assert_problem(
        api.post("/api/v1/practitioners", {"display_name": "Dr X", "user": str(outsider.pk)}),
        422,
        "user",
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert Treatment.objects.count() == 1
        assert Practitioner.objects.count() == 1


def test_another_clinics_key_gets_404_and_nothing_changes(clinic_a: Any, clinic_b: Any) -> None:
    api = _key(clinic_b, "catalogue:write")

    t = api.patch(f"/api/v1/treatments/{clinic_a.treatment.pk}", {"price_pence": 1})
    p = api.patch(f"/api/v1/practitioners/{clinic_a.practitioner.pk}", {"active": False})

    assert_problem(t, 404)
    assert_problem(p, 404)
    with clinic_scope(clinic_a.clinic.pk):
        assert Treatment.objects.get().price_pence == 7500
        assert Practitioner.objects.get().active


def test_a_key_without_catalogue_write_gets_403(clinic_a: Any) -> None:
    api = _key(clinic_a, "catalogue:read")

    assert_problem(api.post("/api/v1/treatments", LIP_FILLER), 403)
    assert_problem(
        api.patch(f"/api/v1/treatments/{clinic_a.treatment.pk}", {"price_pence": 1}), 403
    )
    assert_problem(api.post("/api/v1/practitioners", {"display_name": "Dr X"}), 403)
    with clinic_scope(clinic_a.clinic.pk):
        assert Treatment.objects.get().price_pence == 7500
        assert Practitioner.objects.count() == 1


def test_a_practitioner_whose_member_left_can_still_be_changed(clinic_a: Any) -> None:
    from aescrm.accounts.models import Membership

    api = _key(clinic_a, "catalogue:write")
    nurse = clinic_a.users["receptionist"]
    body = api.post(
        "/api/v1/practitioners", {"display_name": "Nurse Amy", "user": str(nurse.pk)}
    ).json()
    Membership.objects.filter(clinic=clinic_a.clinic, user=nurse).delete()

    changed = api.patch(f"/api/v1/practitioners/{body['id']}", {"profession": "Nurse"})

    assert changed.status_code == 200, changed.content
    assert changed.json()["user"] == str(nurse.pk)
    relinked = api.post(
        "/api/v1/practitioners", {"display_name": "Nurse Bea", "user": str(nurse.pk)}
    )
    assert_problem(relinked, 422, "user")
