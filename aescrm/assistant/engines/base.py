"""What every assistant engine is given and must return (docs/decisions/0021-website-assistant.md).

An engine reads one visitor message and the conversation so far and answers
with text, quick replies and what it relied on. It never touches the database
itself: everything it may do goes through ``Tools`` (search the clinic's
knowledge, find free slots, create the enquiry, book, hand over), so both
engines are grounded in the same facts and the guardrails around them see
every answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

# The intents the embedded engine recognises; the LLM engine reports the same names.
INTENTS = (
    "pricing",
    "treatment_info",
    "opening_hours",
    "location",
    "booking",
    "finance",
    "human",
    "complaint",
    "emergency",
    "medical",
    "small_talk",
    "out_of_scope",
)


@dataclass(frozen=True)
class KnowledgeDoc:
    """One item the assistant may draw on: an FAQ, a policy, or a catalogue treatment."""

    id: str
    kind: str  # faq, policy, hours, location, finance, treatment
    title: str
    answer: str
    keywords: str = ""
    treatment_id: str | None = None
    category: str = ""
    price_pence: int | None = None
    duration_minutes: int | None = None
    prescription_medicine: bool = False


@dataclass(frozen=True)
class KnowledgeHit:
    doc: KnowledgeDoc
    score: float  # 0..100, higher is better


@dataclass(frozen=True)
class SlotOffer:
    """A free appointment the visitor may pick; ``label`` is in the clinic's local time."""

    treatment_id: str
    practitioner_id: str
    practitioner_name: str
    starts_at: dt.datetime  # UTC
    label: str  # e.g. "Tue 1 Dec, 10:00"


@dataclass
class VisitorDetails:
    """What the visitor has told us, checked as it was captured."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""  # E.164
    email: str = ""
    treatment_id: str = ""
    preferred_time: str = ""
    consent: dict[str, bool] = field(default_factory=dict)  # sms/email/phone -> granted
    consent_wording: str = ""
    adult: bool | None = None  # answered "18 or over?"


@dataclass(frozen=True)
class BookingResult:
    booked: bool  # False: a booking request (enquiry) for the team to confirm
    enquiry_id: str
    appointment_id: str | None
    when_label: str  # the slot in the clinic's local time, or the visitor's preferred time


class Tools(Protocol):
    """The only way an engine reaches the clinic's data or changes anything."""

    clinic_name: str
    booking_mode: str  # "book" or "request"
    urgent_phone: str
    timezone: str  # e.g. "Europe/London"

    def search_knowledge(self, query: str, limit: int = 3) -> list[KnowledgeHit]: ...

    def knowledge(self) -> list[KnowledgeDoc]: ...

    def find_slots(
        self, treatment_id: str, *, start: dt.datetime, end: dt.datetime, limit: int = 3
    ) -> list[SlotOffer]: ...

    def create_enquiry(self, details: VisitorDetails, message: str) -> str: ...

    def book(self, details: VisitorDetails, slot: SlotOffer | None) -> BookingResult: ...

    def hand_over(self, reason: str) -> None: ...


@dataclass
class TurnInput:
    message: str  # already through the inbound guardrails
    state: dict[str, Any]  # the engine's own memory for this session; JSON-serialisable
    history: list[tuple[str, str]]  # (speaker, text), oldest first, the last few turns
    now: dt.datetime  # UTC


@dataclass
class EngineReply:
    text: str
    intent: str
    engine: str
    version: str
    model: str = ""
    quick_replies: list[str] = field(default_factory=list)
    knowledge: list[KnowledgeDoc] = field(default_factory=list)  # what the answer used
    handoff: bool = False
    # Facts the outbound guardrails may let through (prices in pence from the tools).
    allowed_prices: set[int] = field(default_factory=set)
    notes: dict[str, Any] = field(default_factory=dict)  # engine details for the record


class Engine(Protocol):
    name: str
    version: str

    def reply(self, turn: TurnInput, tools: Tools) -> EngineReply: ...
