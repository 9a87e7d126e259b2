"""Helpers for the assistant's tests: a clinic with aesthetic treatments and a visitor's chat."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from aescrm.accounts.models import Clinic
from aescrm.assistant.models import AssistantSettings, ChatSession, ChatTurn, KnowledgeItem
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment

SITE = "https://alpha.example"
LANDING = {
    "gclid": "CHAT-GCLID-1",
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "lips-autumn",
    "landing_page": "https://alpha.example/lips?gclid=CHAT-GCLID-1&utm_source=google",
    "occurred_at": 1_790_000_000_000,
}


def stock(
    clinic: Clinic, *, urgent_phone: str = "020 7946 0999", booking_mode: str = "book"
) -> None:
    """Lip filler, anti-wrinkle and whitening, a few FAQs, and the assistant's settings."""
    with clinic_scope(clinic.pk):
        Treatment.objects.create(
            name="Lip filler (1ml)", category="Aesthetics", duration_minutes=45, price_pence=25000
        )
        Treatment.objects.create(
            name="Anti-wrinkle consultation and treatment",
            category="Aesthetics",
            duration_minutes=30,
            price_pence=19000,
            prescription_medicine=True,
        )
        Treatment.objects.create(
            name="Teeth whitening", category="Dental", duration_minutes=60, price_pence=39900
        )
        KnowledgeItem.objects.create(
            kind="location",
            title="Where are you and is there parking?",
            answer="We are at 12 High Street. There is free parking behind the clinic.",
            keywords="parking, address, directions",
        )
        KnowledgeItem.objects.create(
            kind="finance",
            title="Do you offer finance?",
            answer="Yes: 0% finance over 12 months on treatments over £1,000, subject to status.",
            keywords="finance, monthly, pay monthly, instalments",
        )
        KnowledgeItem.objects.create(
            kind="hours",
            title="Opening hours",
            answer="We are open Monday to Saturday, 8:00 to 20:00.",
            keywords="open, opening, close, closing, hours",
        )
        AssistantSettings.objects.update_or_create(
            clinic=clinic,
            defaults={"urgent_phone": urgent_phone, "booking_mode": booking_mode},
        )


def chat_url(clinic: Clinic) -> str:
    return f"/public/v1/{clinic.public_key}/chat"


def say(
    clinic: Clinic,
    message: Any,
    session_id: str | None = None,
    *,
    origin: str | None = SITE,
    attribution: Any = None,
    client: Client | None = None,
    **headers: Any,
) -> Any:
    body: dict[str, Any] = {"message": message}
    if session_id:
        body["session_id"] = session_id
    if attribution is not None:
        body["attribution"] = attribution
    if origin is not None:
        headers.setdefault("HTTP_ORIGIN", origin)
    return (client or Client()).post(
        chat_url(clinic), json.dumps(body), content_type="application/json", **headers
    )


class Visit:
    """One visitor's conversation, keeping the session id between messages."""

    def __init__(self, clinic: Clinic, *, attribution: Any = None) -> None:
        self.clinic = clinic
        self.session_id: str | None = None
        self.attribution = attribution
        self.answers: list[dict[str, Any]] = []

    def say(self, message: str) -> dict[str, Any]:
        origin = f"https://{self.clinic.website_domains[0]}"
        response = say(
            self.clinic, message, self.session_id, attribution=self.attribution, origin=origin
        )
        assert response.status_code == 200, response.content
        answer: dict[str, Any] = response.json()
        self.session_id = answer["session_id"]
        self.answers.append(answer)
        return answer

    def session(self) -> ChatSession:
        with clinic_scope(self.clinic.pk):
            return ChatSession.objects.get()

    def turns(self) -> list[ChatTurn]:
        with clinic_scope(self.clinic.pk):
            return list(ChatTurn.objects.order_by("seq"))


def decisions(turn: ChatTurn) -> dict[str, str]:
    """{check: decision} of a turn's guardrails."""
    return {d["check"]: d["decision"] for d in turn.guardrails}
