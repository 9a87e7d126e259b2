"""What the LLM engine's tests share: a clinic's knowledge and diary in memory, and a stand-in
for the engine the chat falls back to.

``MemoryTools`` implements the ``Tools`` protocol over lists (the database-backed
``DbTools`` is tested on its own); it records every call so a test can check what
the model's tool calls did.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from aescrm.assistant.engines.base import (
    BookingResult,
    EngineReply,
    KnowledgeDoc,
    KnowledgeHit,
    SlotOffer,
    Tools,
    TurnInput,
    VisitorDetails,
)
from aescrm.assistant.engines.llm import LlmConfig
from aescrm.patients.normalise import words
from aescrm.testing.fakes.openai import API_KEY, FakeOpenAI, tool_messages

# A Monday morning in summer (British Summer Time: UTC+1).
NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)

ANTI_WRINKLE = KnowledgeDoc(
    id="k-aw",
    kind="treatment",
    title="Anti-wrinkle treatment (three areas)",
    answer="Smooths lines on the forehead, frown and crow's feet. Results take two weeks.",
    keywords="wrinkles, lines, forehead",
    treatment_id="t-aw",
    category="Injectables",
    price_pence=19900,
    duration_minutes=30,
    prescription_medicine=True,
)
HYGIENE = KnowledgeDoc(
    id="k-hy",
    kind="treatment",
    title="Hygienist visit",
    answer="A scale and polish with our hygienist.",
    keywords="clean, scale, polish",
    treatment_id="t-hy",
    category="Dental",
    price_pence=6550,
    duration_minutes=30,
)
HOURS = KnowledgeDoc(
    id="k-hours",
    kind="hours",
    title="Opening hours",
    answer="Monday to Friday 9am to 6pm; Saturday 9am to 1pm.",
    keywords="open, hours, times, closed",
)


def slot(treatment_id: str, when: dt.datetime, label: str) -> SlotOffer:
    return SlotOffer(
        treatment_id=treatment_id,
        practitioner_id="p-1",
        practitioner_name="Dr Ada Lovelace",
        starts_at=when,
        label=label,
    )


# Tuesday 2 June 2026, 10:00 and 11:30 in London; Thursday 4 June 09:00.
SLOTS = [
    slot("t-aw", dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), "Tue 2 Jun, 10:00"),
    slot("t-aw", dt.datetime(2026, 6, 2, 10, 30, tzinfo=dt.UTC), "Tue 2 Jun, 11:30"),
    slot("t-aw", dt.datetime(2026, 6, 4, 8, 0, tzinfo=dt.UTC), "Thu 4 Jun, 09:00"),
    slot("t-hy", dt.datetime(2026, 6, 2, 13, 0, tzinfo=dt.UTC), "Tue 2 Jun, 14:00"),
]


@dataclass
class MemoryTools:
    clinic_name: str = "Alpha Aesthetics"
    booking_mode: str = "request"
    urgent_phone: str = ""
    timezone: str = "Europe/London"
    docs: list[KnowledgeDoc] = field(default_factory=lambda: [ANTI_WRINKLE, HYGIENE, HOURS])
    slots: list[SlotOffer] = field(default_factory=lambda: list(SLOTS))
    searches: list[str] = field(default_factory=list)
    slot_queries: list[tuple[str, dt.datetime, dt.datetime]] = field(default_factory=list)
    enquiries: list[tuple[VisitorDetails, str]] = field(default_factory=list)
    handovers: list[str] = field(default_factory=list)

    def search_knowledge(self, query: str, limit: int = 3) -> list[KnowledgeHit]:
        self.searches.append(query)
        wanted = set(words(query))
        hits = []
        for doc in self.docs:
            overlap = wanted & set(words(f"{doc.title} {doc.keywords}"))
            if overlap:
                hits.append(KnowledgeHit(doc, 100.0 * len(overlap) / len(wanted)))
        return sorted(hits, key=lambda h: -h.score)[:limit]

    def knowledge(self) -> list[KnowledgeDoc]:
        return list(self.docs)

    def find_slots(
        self, treatment_id: str, *, start: dt.datetime, end: dt.datetime, limit: int = 3
    ) -> list[SlotOffer]:
        self.slot_queries.append((treatment_id, start, end))
        found = [s for s in self.slots if s.treatment_id == treatment_id]
        return [s for s in found if start <= s.starts_at < end][:limit]

    def create_enquiry(self, details: VisitorDetails, message: str) -> str:
        self.enquiries.append((details, message))
        return f"enquiry-{len(self.enquiries)}"

    def book(self, details: VisitorDetails, slot: SlotOffer | None) -> BookingResult:
        raise AssertionError("the LLM engine sends booking requests; it does not book")

    def hand_over(self, reason: str) -> None:
        self.handovers.append(reason)


class CannedEngine:
    """A deterministic stand-in for the built-in engine (the chat falls back to that one)."""

    name = "canned"
    version = "0"

    def __init__(self) -> None:
        self.turns: list[str] = []

    def reply(self, turn: TurnInput, tools: Tools) -> EngineReply:
        self.turns.append(turn.message)
        return EngineReply(
            text=f"Thank you for your message to {tools.clinic_name}.",
            intent="out_of_scope",
            engine=self.name,
            version=self.version,
        )


def config(fake: FakeOpenAI, *, timeout: float = 5.0, api_key: str = API_KEY) -> LlmConfig:
    return LlmConfig(base_url=fake.api_base, model="fake-gpt-1", api_key=api_key, timeout=timeout)


def turn(message: str, history: list[tuple[str, str]] | None = None, **state: Any) -> TurnInput:
    return TurnInput(message=message, state=dict(state), history=history or [], now=NOW)


def tool_results(body: dict[str, Any]) -> list[Any]:
    """What the engine sent back for each tool call in a request, decoded."""
    return [json.loads(m["content"]) for m in tool_messages(body)]
