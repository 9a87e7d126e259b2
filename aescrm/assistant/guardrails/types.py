"""The records the guardrails hand back: one decision per check, and the outcome of a stage."""

from __future__ import annotations

from dataclasses import dataclass, field

INBOUND_CHECKS = ("emergency", "injection", "medical", "under_18", "prescription_medicine")
OUTBOUND_CHECKS = ("prescription_medicine", "medical", "price_grounding", "data_leak")


@dataclass(frozen=True)
class Decision:
    check: str  # one of INBOUND_CHECKS or OUTBOUND_CHECKS
    stage: str  # "in" | "out"
    decision: str  # "pass" | "block" | "rewrite" | "alert" | "flag"
    detail: str = ""  # a short reason for staff: keywords, never the visitor's sentence

    def as_dict(self) -> dict[str, str]:
        return {
            "check": self.check,
            "stage": self.stage,
            "decision": self.decision,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ClinicFacts:
    clinic_name: str
    urgent_phone: str = ""  # the clinic's urgent line, may be ""
    phone: str = ""  # main number, may be ""
    email: str = ""


@dataclass
class Inbound:
    decisions: list[Decision]
    outcome: str | None  # None, or the check that stopped the turn
    reply: str  # the fixed reply when outcome is set, else ""
    quick_replies: list[str] = field(default_factory=list)
    alert_staff: bool = False
    handoff: bool = False
    under_18: bool = False


@dataclass
class Outbound:
    text: str
    decisions: list[Decision]
