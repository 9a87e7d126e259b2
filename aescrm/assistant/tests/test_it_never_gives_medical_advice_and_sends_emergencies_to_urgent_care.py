"""The acceptance's safety conversations, over the public endpoint, with what staff see."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.tests.support import Visit, decisions, stock
from aescrm.automation.models import StaffNotification
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "question",
    [
        "is it safe to have filler while pregnant?",
        "how many units of botox do I need?",
        "Can I take ibuprofen before my extraction?",
    ],
)
def test_medical_questions_get_a_kind_refusal_and_a_consultation(
    clinic_a: Any, question: str
) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)
    answer = visit.say(question)
    reply = answer["reply"].lower()
    assert "medical advice" in reply
    assert "consultation" in reply
    assert "units" not in reply and "botox" not in reply
    assert any("consultation" in q.lower() for q in answer["quick_replies"])
    visitor_turn, bot_turn = visit.turns()
    assert decisions(visitor_turn)["medical"] == "block"
    assert bot_turn.intent == "medical"
    assert bot_turn.body == answer["reply"]


def test_a_white_painful_lip_after_filler_goes_to_urgent_care_and_alerts_staff(
    clinic_a: Any,
) -> None:
    stock(clinic_a.clinic, urgent_phone="020 7946 0999")
    visit = Visit(clinic_a.clinic)
    visit.say("how much is lip filler?")
    answer = visit.say("my lip went white and hurts after filler yesterday")
    assert "999" in answer["reply"] and "111" in answer["reply"]
    assert "020 7946 0999" in answer["reply"]
    assert answer["handoff"] is True
    assert not any(q.lower().startswith("book") for q in answer["quick_replies"])
    session = visit.session()
    assert session.emergency and session.handoff_requested
    visitor_turn = visit.turns()[-2]
    assert decisions(visitor_turn)["emergency"] == "alert"
    with clinic_scope(clinic_a.clinic.pk):
        alerts = [n.text for n in StaffNotification.objects.all()]
    assert any("urgent" in text for text in alerts)
    # The bot does not go back to selling on the next message.
    after = visit.say("ok thanks")
    assert "book" not in after["reply"].lower()
