"""How a chat turn is shown to staff: who spoke, and how the assistant came to say it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aescrm.assistant.models import ChatSession, ChatTurn, Speaker

CHECKS = {
    "emergency": "Emergency",
    "injection": "Instructions to the assistant",
    "medical": "Medical advice",
    "under_18": "Under 18",
    "prescription_medicine": "Prescription-only medicine",
    "price_grounding": "Prices match the price list",
    "data_leak": "Personal data",
}
STAGES = {"in": "Visitor's message", "out": "Assistant's reply"}
# Said in words as well as colour: the decision is read aloud and printed.
DECISIONS = {
    "pass": "Passed",
    "block": "Blocked — reply replaced",
    "rewrite": "Rewritten — words changed",
    "alert": "Alert — staff alerted",
    "flag": "Flagged",
}
NOTABLE = {"block", "rewrite", "alert"}


@dataclass
class Guard:
    check: str
    check_label: str
    stage: str
    stage_label: str
    decision: str
    decision_label: str
    detail: str
    notable: bool


@dataclass
class TurnRow:
    turn: ChatTurn
    who: str
    side: str  # "inbound" (the visitor) or "outbound" (the assistant or staff)
    engine_line: str = ""
    knowledge: list[str] = field(default_factory=list)
    guards: list[Guard] = field(default_factory=list)
    fallback: str = ""  # why the built-in engine answered instead of the language model
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def notable(self) -> bool:
        return any(g.notable for g in self.guards)


def _guard(raw: Any) -> Guard:
    data = raw if isinstance(raw, dict) else {}
    check = str(data.get("check", ""))
    stage = str(data.get("stage", ""))
    decision = str(data.get("decision", ""))
    return Guard(
        check=check,
        check_label=CHECKS.get(check, check.replace("_", " ").capitalize() or "Check"),
        stage=stage,
        stage_label=STAGES.get(stage, stage),
        decision=decision,
        decision_label=DECISIONS.get(decision, decision.capitalize()),
        detail=str(data.get("detail", "") or ""),
        notable=decision in NOTABLE,
    )


def engine_line(turn: ChatTurn) -> str:
    """ "prices · embedded 1.0 · 123 ms" — intent, engine (model, version), time taken."""
    engine = " ".join(p for p in (turn.engine, turn.model, turn.engine_version) if p)
    return " · ".join(p for p in (turn.intent, engine, f"{turn.latency_ms} ms") if p)


def _who(turn: ChatTurn, visitor: str) -> str:
    if turn.speaker == Speaker.VISITOR:
        return visitor
    if turn.speaker == Speaker.STAFF:
        author = turn.author
        return f"{author.full_name or author.email} (staff)" if author else "Staff"
    return "Assistant"


def rows(session: ChatSession, turns: list[ChatTurn]) -> list[TurnRow]:
    visitor = visitor_name(session)
    result = []
    for turn in turns:
        row = TurnRow(
            turn=turn,
            who=_who(turn, visitor),
            side="inbound" if turn.speaker == Speaker.VISITOR else "outbound",
            guards=[_guard(g) for g in (turn.guardrails or [])],
        )
        if turn.speaker == Speaker.ASSISTANT:
            row.engine_line = engine_line(turn)
            row.knowledge = [
                str(k.get("title", "")) for k in (turn.knowledge or []) if isinstance(k, dict)
            ]
            row.fallback, row.notes = _notes(turn.notes)
        result.append(row)
    return result


def _notes(raw: Any) -> tuple[str, list[tuple[str, str]]]:
    """The engine's notes: a fallback said in words, the rest as short "name: value" pairs."""
    notes = dict(raw) if isinstance(raw, dict) else {}
    fallback = ""
    source = notes.pop("fallback_from", None)
    reason = notes.pop("fallback_reason", None)
    if source or reason:
        fallback = f"Fell back from {source or 'the language model'}"
        fallback += f": {reason}" if reason else ""
    pairs = []
    for name, value in notes.items():
        shown = str(value)
        pairs.append(
            (str(name).replace("_", " "), shown[:197] + "…" if len(shown) > 200 else shown)
        )
    return fallback, pairs


def visitor_name(session: ChatSession) -> str:
    if session.patient_id and session.patient is not None:
        return session.patient.full_name or "Website visitor"
    return "Website visitor"
