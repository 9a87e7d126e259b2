"""A clinic that chose a language model: the chat goes through it over real HTTP, grounded in
the clinic's knowledge; when the model fails, the built-in engine answers that turn and the
turn records why. Both pass the same guardrails."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aescrm.assistant.models import AssistantSettings
from aescrm.assistant.tests.support import Visit, decisions, stock
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fakes.openai import API_KEY, MODEL, FakeOpenAI, tool_calls

pytestmark = pytest.mark.django_db


def _use_model(clinic: Any, fake: FakeOpenAI) -> None:
    with clinic_scope(clinic.pk):
        settings = AssistantSettings.objects.get()
        settings.engine = "llm"
        settings.llm_base_url = fake.api_base
        settings.llm_model = MODEL
        settings.llm_api_key = API_KEY
        settings.save()


def test_the_model_answers_from_the_clinic_s_knowledge(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    with FakeOpenAI() as fake:
        _use_model(clinic_a.clinic, fake)
        fake.then(lambda _body: tool_calls(("search_knowledge", {"query": "parking"})))
        fake.then_content("There is free parking behind the clinic at 12 High Street.")
        visit = Visit(clinic_a.clinic)
        answer = visit.say("can I park near you?")
        sent = fake.bodies()

    assert answer["reply"] == "There is free parking behind the clinic at 12 High Street."
    # The tool result the model saw came from this clinic's knowledge.
    tool_message = next(m for m in sent[1]["messages"] if m["role"] == "tool")
    assert "free parking behind the clinic" in tool_message["content"]
    turn = visit.turns()[-1]
    assert (turn.engine, turn.model) == ("llm", MODEL)
    assert [k["title"] for k in turn.knowledge] == ["Where are you and is there parking?"]
    assert decisions(turn)["data_leak"] == "pass"


def test_a_model_that_names_a_medicine_is_rewritten_by_the_same_guardrails(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    with FakeOpenAI() as fake:
        _use_model(clinic_a.clinic, fake)
        fake.then_content("Our Botox treatment is very popular.")
        visit = Visit(clinic_a.clinic)
        answer = visit.say("tell me about your wrinkle treatments")

    assert "botox" not in answer["reply"].lower()
    assert "anti-wrinkle treatment" in answer["reply"]
    assert decisions(visit.turns()[-1])["prescription_medicine"] == "rewrite"


def test_when_the_model_fails_the_built_in_engine_answers_and_says_why(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    with FakeOpenAI() as fake:
        _use_model(clinic_a.clinic, fake)
        fake.then_error(500, "The server had an error while processing your request.")
        visit = Visit(clinic_a.clinic)
        answer = visit.say("how much is lip filler?")

    assert "£250" in answer["reply"]
    turn = visit.turns()[-1]
    assert turn.engine == "embedded"
    assert turn.notes["fallback_from"] == "llm"
    assert "500" in turn.notes["fallback_reason"]
    # The API key is never stored with the turn.
    assert API_KEY not in json.dumps(turn.notes)
