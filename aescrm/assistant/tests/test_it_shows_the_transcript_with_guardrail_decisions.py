"""A chat's page shows every turn with who said it and when, how the assistant came to its
answer (intent, engine, knowledge, time taken, a fallback) and every safety check's
decision, with the ones that acted marked in words; reading it marks it read and is audited
with counts."""

from __future__ import annotations

import pytest

from aescrm.assistant.tests.staff_support import assistant, fresh, make_chat, visitor
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

TURNS = [
    visitor("How much is lip filler?"),
    assistant(
        "Lip filler starts at £250.",
        intent="prices",
        model="",
        engine_version="1.2",
        latency_ms=123,
        knowledge=[{"id": "k1", "title": "Lip filler prices"}],
        notes={
            "fallback_from": "llm",
            "fallback_reason": "no answer within 8 s",
            "confidence": 0.82,
        },
        guardrails=[
            {"check": "price_grounding", "stage": "out", "decision": "pass", "detail": ""},
            {
                "check": "prescription_medicine",
                "stage": "out",
                "decision": "rewrite",
                "detail": "brand name removed",
            },
        ],
    ),
    visitor(
        "My lip is swollen and I can't breathe",
        guardrails=[
            {"check": "emergency", "stage": "in", "decision": "alert", "detail": "breathing"}
        ],
    ),
    assistant(
        "Please call 999 now.",
        intent="emergency",
        guardrails=[{"check": "medical", "stage": "out", "decision": "block", "detail": "dose"}],
    ),
]


def test_it_shows_turns_engine_lines_knowledge_and_every_guardrail(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a, TURNS, emergency=True, unread_count=4)

    response = member_client(clinic_a, "receptionist").get(f"/inbox/chats/{chat.pk}/")
    page = text(response)

    assert response.status_code == 200
    assert page.index("How much is lip filler?") < page.index("Please call 999 now.")
    assert "Website visitor ·" in page and "Assistant ·" in page
    assert "prices · embedded 1.2 · 123 ms" in page
    assert "Knowledge used: Lip filler prices" in page
    assert "Fell back from llm: no answer within 8 s" in page and "confidence: 0.82" in page
    # every decision, the passes too, with its stage and detail
    assert "Prices match the price list <code>price_grounding</code>" in page
    assert "Rewritten — words changed" in page and "brand name removed" in page
    assert "Alert — staff alerted" in page and "breathing" in page
    assert "Blocked — reply replaced" in page and "dose" in page
    assert page.count('class="guard-pass"') == 3  # two checks of the first message, one reply
    # the three that acted are marked (and said in words above), and so are their turns
    assert page.count('notable">') == 3
    assert page.count(" has-notable") == 3
    assert "Visitor&#x27;s message <code>in</code>" in page
    assert "Emergency</span>" in page


def test_opening_it_marks_it_read_and_audits_counts_only(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")
    chat = make_chat(clinic_a, TURNS, patient=patient, unread_count=4)

    page = text(member_client(clinic_a, "manager").get(f"/inbox/chats/{chat.pk}/"))

    assert fresh(clinic_a, chat).unread_count == 0
    assert f'href="/patients/{patient.pk}/"' in page
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="chat.read").get()
    assert entry.object_id == str(chat.pk)
    assert entry.detail == {
        "patient": str(patient.pk),
        "turns": 4,
        "by_speaker": {"visitor": 2, "assistant": 2, "staff": 0},
    }
    assert "lip" not in str(entry.detail).lower()


def test_the_transcript_poll_answers_204_until_a_turn_arrives(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a, TURNS[:2])
    client = member_client(clinic_a, "receptionist")
    first = text(client.get(f"/inbox/chats/{chat.pk}/"))
    version = first.split(f"/inbox/chats/{chat.pk}/transcript?v=")[1].split('"')[0]
    poll = f"/inbox/chats/{chat.pk}/transcript?v={version}"

    unchanged = client.get(poll)
    with clinic_scope(clinic_a.clinic.pk):
        from aescrm.assistant.models import ChatTurn

        ChatTurn.objects.create(session=chat, seq=3, **visitor("Are you open on Saturday?"))
    changed = client.get(poll)

    assert unchanged.status_code == 204
    assert changed.status_code == 200
    assert "Are you open on Saturday?" in text(changed)
    assert "<h1" not in text(changed)
