"""The board, my tasks and the settings page: plain forms work, other clinics get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.pipeline.models import PipelineSettings, StaffTask
from aescrm.pipeline.tests.support import make_lead, reload
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_the_board_shows_a_column_per_stage_and_cards_with_score_and_timer(
    clinic_a: Any,
) -> None:
    make_lead(clinic_a, first_name="Ada", last_name="Lovelace", message="asap please")

    page = text(member_client(clinic_a, "receptionist").get("/pipeline/"))

    for title in ("New", "Contacted", "Consultation booked", "Treatment booked", "Won", "Lost"):
        assert f'{title} <span class="count">' in page
    assert "Ada Lovelace" in page
    assert 'class="score-badge">Score ' in page
    assert 'class="ticker"' in page and "data-since=" in page
    assert 'aria-live="polite"' in page
    assert "<script>" not in page  # the CSP forbids inline scripts


def test_a_lost_note_is_shown_to_those_who_may_read_notes_only(clinic_a: Any) -> None:
    """The note may describe health: marketers (no notes permission) see only the reason."""
    lead = make_lead(clinic_a, first_name="Ada")
    desk = member_client(clinic_a, "receptionist")
    desk.post(
        f"/pipeline/leads/{lead.pk}/move",
        {"stage": "lost", "lost_reason": "other", "lost_note": "Too anxious after an extraction"},
    )

    for role, sees_note in (("receptionist", True), ("manager", True), ("marketer", False)):
        page = text(member_client(clinic_a, role).get("/pipeline/"))
        assert "Lost: Other" in page
        assert ("Too anxious after an extraction" in page) is sees_note, role


def test_a_card_moves_with_a_plain_form_post(clinic_a: Any) -> None:
    lead = make_lead(clinic_a, first_name="Ada")
    client = member_client(clinic_a, "receptionist")

    response = client.post(f"/pipeline/leads/{lead.pk}/move", {"stage": "contacted"})

    assert response.status_code == 302
    assert response["Location"] == f"/pipeline/#lead-{lead.pk}"
    assert reload(clinic_a, lead).stage == "contacted"
    assert "Moved Ada Patient to Contacted." in text(client.get("/pipeline/"))


def test_a_refused_move_explains_why_as_json_and_as_a_message(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    client = member_client(clinic_a, "receptionist")

    as_json = client.post(
        f"/pipeline/leads/{lead.pk}/move", {"stage": "lost"}, HTTP_ACCEPT="application/json"
    )
    plain = client.post(f"/pipeline/leads/{lead.pk}/move", {"stage": "won"}, follow=True)

    assert as_json.status_code == 422
    assert as_json.json() == {"error": "say why the lead was lost", "field": "lost_reason"}
    assert "A lead cannot move from New to Won (book the treatment first)." in text(plain)
    assert reload(clinic_a, lead).stage == "new"


def test_a_json_move_returns_the_card_for_its_new_column(clinic_a: Any) -> None:
    lead = make_lead(clinic_a, first_name="Ada")

    response = member_client(clinic_a, "receptionist").post(
        f"/pipeline/leads/{lead.pk}/move",
        {"stage": "consultation_booked"},
        HTTP_ACCEPT="application/json",
    )

    body = response.json()
    assert body["stage"] == "consultation_booked"
    assert body["message"] == "Moved Ada Patient to Consultation booked."
    assert f'id="lead-{lead.pk}"' in body["html"]


@pytest.mark.parametrize("role", ["owner", "receptionist"])
def test_another_clinics_member_gets_404_and_nothing_changes(
    clinic_a: Any, clinic_b: Any, role: str
) -> None:
    lead = make_lead(clinic_a)
    outsider = member_client(clinic_b, role)
    with clinic_scope(clinic_a.clinic.pk):
        task = StaffTask.objects.create(
            kind="call_back",
            due_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
            assignee=clinic_a.users["receptionist"],
        )

    responses = [
        outsider.post(f"/pipeline/leads/{lead.pk}/move", {"stage": "contacted"}),
        outsider.post(
            f"/pipeline/leads/{lead.pk}/assign",
            {"assigned_to": str(clinic_b.users["receptionist"].pk)},
        ),
        outsider.post(f"/pipeline/leads/{lead.pk}/contact"),
        outsider.post(f"/tasks/{task.pk}/done"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    after = reload(clinic_a, lead)
    assert (after.stage, after.assigned_to_id, after.first_response_at) == ("new", None, None)
    with clinic_scope(clinic_a.clinic.pk):
        assert StaffTask.objects.get().done_at is None
    assert str(lead.pk) not in text(outsider.get("/pipeline/"))


def test_marketers_see_the_board_but_cannot_move_cards(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    marketer = member_client(clinic_a, "marketer")

    assert marketer.get("/pipeline/").status_code == 200
    assert "move-form" not in text(marketer.get("/pipeline/"))
    assert (
        marketer.post(f"/pipeline/leads/{lead.pk}/move", {"stage": "contacted"}).status_code == 403
    )
    assert member_client(clinic_a, "clinician").get("/pipeline/").status_code == 403


def test_my_tasks_lists_mine_with_overdue_highlighted(clinic_a: Any, clinic_b: Any) -> None:
    lead = make_lead(clinic_a, first_name="Ada")
    me = clinic_a.users["receptionist"]
    client = member_client(clinic_a, "receptionist")

    added = client.post(
        "/tasks/",
        {
            "kind": "call_back",
            "assignee": str(me.pk),
            "enquiry": str(lead.pk),
            "due_date": "2026-01-05",
            "due_time": "10:00",
            "note": "Ask about Tuesday",
        },
    )
    refused = client.post(
        "/tasks/",
        {
            "kind": "follow_up",
            "assignee": str(clinic_b.users["receptionist"].pk),
            "due_date": "2030-01-05",
            "due_time": "10:00",
        },
    )
    page = text(client.get("/tasks/"))

    assert added.status_code == 302
    assert refused.status_code == 422
    assert "No such staff member in this clinic." in text(refused)
    with clinic_scope(clinic_a.clinic.pk):
        task = StaffTask.objects.get()
    assert task.due_at == dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)  # GMT in January
    assert '<tr class="overdue">' in page and "Overdue" in page
    assert "Ask about Tuesday" in page and "Ada Patient" in page

    client.post(f"/tasks/{task.pk}/done")
    assert "No open tasks." in text(client.get("/tasks/"))


def test_the_owner_sets_round_robin_limit_and_opening_hours(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    form = {"round_robin": "on", "response_limit_minutes": "15"}
    form |= {f"open_{d}": "08:00" for d in range(5)} | {f"close_{d}": "20:00" for d in range(5)}

    saved = owner.post("/pipeline/settings", form)
    bad = owner.post("/pipeline/settings", {**form, "close_0": "07:00"})

    assert saved.status_code == 302
    assert bad.status_code == 422 and "opening_hours.0" in text(bad)
    with clinic_scope(clinic_a.clinic.pk):
        settings = PipelineSettings.objects.get()
    assert settings.round_robin and settings.response_limit_minutes == 15
    assert settings.opening_hours == {str(d): [["08:00", "20:00"]] for d in range(5)}
    assert member_client(clinic_a, "receptionist").get("/pipeline/settings").status_code == 403
