"""``POST /public/v1/{key}/chat``: sessions, limits, CORS and errors that name the problem."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import SITE, say, stock
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


def test_the_widget_gets_the_disclosure_and_the_clinic_s_look(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    response = Client().get(f"/public/v1/{clinic_a.clinic.public_key}/assistant", HTTP_ORIGIN=SITE)
    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is True
    assert body["clinic_name"] == "Alpha Dental"
    assert "automated assistant, not a person" in body["disclosure"]
    assert "cannot give medical advice" in body["disclosure"]
    assert body["max_message_chars"] == 1000
    assert response["Access-Control-Allow-Origin"] == SITE


def test_a_conversation_keeps_its_session_and_every_turn_is_stored(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    first = say(clinic_a.clinic, "hello").json()
    second = say(clinic_a.clinic, "is there parking?", first["session_id"]).json()
    assert second["session_id"] == first["session_id"]
    assert "free parking" in second["reply"]
    assert second["seq"] == 4
    with clinic_scope(clinic_a.clinic.pk):
        session = ChatSession.objects.get()
        turns = list(ChatTurn.objects.order_by("seq"))
    # Only a hash of the visitor's token is kept.
    assert first["session_id"] not in session.token_hash
    assert [t.speaker for t in turns] == ["visitor", "assistant", "visitor", "assistant"]
    assert turns[2].body == "is there parking?"
    answer = turns[3]
    assert answer.engine == "embedded" and answer.engine_version
    assert answer.intent == "location"
    assert [k["title"] for k in answer.knowledge] == ["Where are you and is there parking?"]
    assert {d["check"] for d in answer.guardrails} >= {"prescription_medicine", "medical"}
    assert {d["check"] for d in turns[2].guardrails} >= {"emergency", "medical", "injection"}


def test_an_unknown_or_ended_session_starts_a_new_one(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    answer = say(clinic_a.clinic, "hello", "not-a-real-session").json()
    assert answer["session_id"] != "not-a-real-session"
    with clinic_scope(clinic_a.clinic.pk):
        assert ChatSession.objects.count() == 1


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("", "message is empty"),
        ("   ", "message is empty"),
        ("x" * 1001, "longer than 1000 characters"),
        (42, "message must be text"),
        ("a\x00b", "NUL"),
    ],
)
def test_bad_messages_are_refused_naming_the_field(clinic_a: Any, message: Any, words: str) -> None:
    stock(clinic_a.clinic)
    response = say(clinic_a.clinic, message)
    assert response.status_code == 422
    problem = response.json()
    assert words in problem["detail"]
    assert problem["errors"][0]["field"] == "message"
    with clinic_scope(clinic_a.clinic.pk):
        assert not ChatSession.objects.exists()


def test_bad_attribution_is_refused_naming_the_field(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    response = say(clinic_a.clinic, "hi", attribution={"first_touch": {"gclid": "x" * 600}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attribution.first_touch.gclid"


def test_a_body_that_is_not_json_is_refused(clinic_a: Any) -> None:
    response = Client().post(
        f"/public/v1/{clinic_a.clinic.public_key}/chat",
        "message=hi",
        content_type="application/json",
        HTTP_ORIGIN=SITE,
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


def test_other_websites_and_unknown_keys_are_refused(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    assert say(clinic_a.clinic, "hi", origin="https://evil.example").status_code == 403
    preflight = Client().options(
        f"/public/v1/{clinic_a.clinic.public_key}/chat",
        HTTP_ORIGIN=SITE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SITE
    unknown = Client().post(
        "/public/v1/no-such-key/chat",
        json.dumps({"message": "hi"}),
        content_type="application/json",
    )
    assert unknown.status_code == 404


def test_one_visitor_is_rate_limited(clinic_a: Any, settings: Any) -> None:
    stock(clinic_a.clinic)
    settings.CHAT_RATE_PER_IP_PER_MINUTE = 3
    for _ in range(3):
        assert say(clinic_a.clinic, "hello").status_code == 200
    refused = say(clinic_a.clinic, "hello")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "too many messages" in refused.json()["detail"]


def test_a_switched_off_assistant_answers_404(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    with clinic_scope(clinic_a.clinic.pk):
        from aescrm.assistant.models import AssistantSettings

        AssistantSettings.objects.update(enabled=False)
    response = say(clinic_a.clinic, "hello")
    assert response.status_code == 404
    assert "switched off" in response.json()["detail"]
