"""GET /api/v1/leads and PATCH /api/v1/leads/{id}: scores, reasons, clinic isolation, errors."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.pipeline.tests.support import make_lead, reload
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def key_with(world: Any, scopes: list[str]) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="limited", scopes=scopes)
    return ApiClient(secret)


def test_it_lists_open_leads_by_score_with_reasons(clinic_a: Any) -> None:
    warm = make_lead(clinic_a, message="Can I book this week?", channel="phone")
    cool = make_lead(clinic_a, message="hello", channel="email")
    done = make_lead(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        Enquiry.objects.filter(pk=done.pk).update(stage="lost", lost_reason="price")

    response = clinic_a.api().get("/api/v1/leads")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["id"] for row in body] == [str(warm.pk), str(cool.pk)]
    first = body[0]
    assert set(first) == {
        "id", "patient", "channel", "treatment", "stage", "status", "score", "reasons",
        "scored_by", "assigned_to", "lost_reason", "created_at", "first_response_at",
        "stage_changed_at", "speed_to_lead", "response_due_at",
    }  # fmt: skip
    assert first["stage"] == "new" and first["scored_by"] == "rules"
    assert first["score"] > body[1]["score"]
    assert "wants to be seen soon (“this week”)" in first["reasons"]
    assert first["speed_to_lead"] is None and first["assigned_to"] is None
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="lead.list").count() == 1


def test_it_moves_and_assigns_a_lead(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    receptionist = clinic_a.users["receptionist"]
    api = clinic_a.api()

    moved = api.patch(
        f"/api/v1/leads/{lead.pk}",
        {"stage": "contacted", "assigned_to": str(receptionist.pk)},
    )
    lost = api.patch(
        f"/api/v1/leads/{lead.pk}", {"stage": "lost", "lost_reason": "booked_elsewhere"}
    )

    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "contacted"
    assert moved.json()["assigned_to"] == str(receptionist.pk)
    assert moved.json()["speed_to_lead"] >= 0
    assert lost.json()["stage"] == "lost" and lost.json()["lost_reason"] == "booked_elsewhere"
    unassigned = api.patch(f"/api/v1/leads/{lead.pk}", {"assigned_to": None})
    assert unassigned.json()["assigned_to"] is None


def test_objection_shows_score_null_with_the_reason(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    objected = clinic_a.api().patch(
        f"/api/v1/patients/{lead.patient_id}", {"objects_to_profiling": True}
    )
    assert objected.json()["objects_to_profiling"] is True

    (row,) = clinic_a.api().get("/api/v1/leads").json()

    assert row["score"] is None
    assert row["reasons"] == ["patient objected to profiling"]


def test_clinic_b_gets_404_and_nothing_changes(clinic_a: Any, clinic_b: Any) -> None:
    lead = make_lead(clinic_a)
    outsider = clinic_b.api()
    before = reload(clinic_a, lead)

    listed = outsider.get("/api/v1/leads").json()
    responses = [
        outsider.patch(f"/api/v1/leads/{lead.pk}", {"stage": "contacted"}),
        outsider.patch(
            f"/api/v1/leads/{lead.pk}", {"assigned_to": str(clinic_b.users["receptionist"].pk)}
        ),
        outsider.patch("/api/v1/leads/not-an-id", {"stage": "contacted"}),
    ]

    assert listed == []
    for response in responses:
        assert_problem(response, 404)
    after = reload(clinic_a, lead)
    assert (after.stage, after.assigned_to_id, after.first_response_at) == (
        before.stage,
        before.assigned_to_id,
        before.first_response_at,
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert not AuditEntry.objects.filter(action__startswith="lead.").exists()


def test_scopes_are_required(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    reader = key_with(clinic_a, ["enquiries:read"])
    nobody = key_with(clinic_a, ["patients:read"])

    assert reader.get("/api/v1/leads").status_code == 200
    assert_problem(nobody.get("/api/v1/leads"), 403)
    assert_problem(reader.patch(f"/api/v1/leads/{lead.pk}", {"stage": "contacted"}), 403)
    assert reload(clinic_a, lead).stage == "new"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"stage": "finished"}, "stage"),
        ({"stage": "won"}, "stage"),
        ({"stage": "lost"}, "lost_reason"),
        ({"stage": "lost", "lost_reason": "because"}, "lost_reason"),
        ({"stage": "lost", "lost_reason": "other"}, "lost_note"),
        ({"stage": "lost", "lost_reason": "price", "lost_note": "x" * 201}, "lost_note"),
        ({"lost_reason": "price"}, "lost_reason"),
        ({"assigned_to": "someone"}, "assigned_to"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    clinic_a: Any, payload: dict[str, Any], field: str
) -> None:
    lead = make_lead(clinic_a)

    response = clinic_a.api().patch(f"/api/v1/leads/{lead.pk}", payload)

    assert_problem(response, 422, field)
    assert reload(clinic_a, lead).stage == "new"


def test_assigning_to_another_clinics_member_is_refused_naming_the_field(
    clinic_a: Any, clinic_b: Any
) -> None:
    lead = make_lead(clinic_a)

    response = clinic_a.api().patch(
        f"/api/v1/leads/{lead.pk}",
        {"stage": "contacted", "assigned_to": str(clinic_b.users["receptionist"].pk)},
    )

    assert_problem(response, 422, "assigned_to")
    after = reload(clinic_a, lead)
    assert (after.stage, after.assigned_to_id) == ("new", None)  # nothing half-written


def test_list_filters_are_checked(clinic_a: Any) -> None:
    assert_problem(clinic_a.api().get("/api/v1/leads", {"stage": "won"}), 422, "stage")
    assert_problem(clinic_a.api().get("/api/v1/leads", {"limit": 0}), 422, "limit")
