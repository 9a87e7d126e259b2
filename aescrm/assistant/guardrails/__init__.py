"""Safety checks around both assistant engines: on the way in and on the way out.

Pure functions over text and plain data (no database), so the embedded engine, the LLM
engine and the staff "test the assistant" panel all get exactly the same checks.

Inbound (``check_inbound``), in order: emergency (alert staff, send to 999/111), injection
(refuse), medical (refuse, offer a consultation), under_18 (flag only), prescription_medicine
(flag only). Every check is recorded; the first of emergency, injection, medical that fires
decides the reply.

A question about a prescription-only medicine (``prescription_medicine_enquiry``: a brand,
slang or use) is flagged on the way in, so staff see in the transcript that the visitor asked
about one, but it does not decide the reply: the engine answers it with
``prescription_medicine_reply`` (no names, a consultation with a prescriber), and the outbound
check renames any medicine a reply names.

Outbound (``check_outbound``), in order: prescription_medicine (rename, add the prescriber
note), medical (replace with the refusal), price_grounding (replace unsupported figures'
sentences), data_leak (replace with the injection refusal; the clinic's numbers and
addresses, those in the knowledge the answer used and the visitor's own are allowed).
"""

from __future__ import annotations

import datetime as dt

from aescrm.assistant.guardrails.age import (
    age_check_before_booking,
    restricted_under_18,
    stated_under_18,
    under_18_refusal,
)
from aescrm.assistant.guardrails.emergency import detect_emergency
from aescrm.assistant.guardrails.injection import detect_injection
from aescrm.assistant.guardrails.leaks import emails_in, find_leak, phones_in
from aescrm.assistant.guardrails.medical import detect_medical_question, medical_advice_in_reply
from aescrm.assistant.guardrails.medicines import PRESCRIBER_NOTE, rewrite_medicines
from aescrm.assistant.guardrails.prescription import (
    ANTI_WRINKLE,
    FILLER_DISSOLVING,
    WEIGHT_LOSS,
    prescription_medicine_enquiry,
    prescription_medicine_reply,
)
from aescrm.assistant.guardrails.prices import NO_PRICE, ground_prices
from aescrm.assistant.guardrails.replies import (
    EMERGENCY_REPLY,
    INJECTION_QUICK_REPLIES,
    INJECTION_REPLY,
    MEDICAL_QUICK_REPLIES,
    MEDICAL_REPLY,
    emergency_reply,
    injection_reply,
    medical_reply,
)
from aescrm.assistant.guardrails.types import (
    INBOUND_CHECKS,
    OUTBOUND_CHECKS,
    ClinicFacts,
    Decision,
    Inbound,
    Outbound,
)

__all__ = [
    "ANTI_WRINKLE",
    "EMERGENCY_REPLY",
    "FILLER_DISSOLVING",
    "INBOUND_CHECKS",
    "INJECTION_QUICK_REPLIES",
    "INJECTION_REPLY",
    "MEDICAL_QUICK_REPLIES",
    "MEDICAL_REPLY",
    "NO_PRICE",
    "OUTBOUND_CHECKS",
    "PRESCRIBER_NOTE",
    "WEIGHT_LOSS",
    "ClinicFacts",
    "Decision",
    "Inbound",
    "Outbound",
    "age_check_before_booking",
    "check_inbound",
    "check_outbound",
    "emergency_reply",
    "injection_reply",
    "medical_reply",
    "prescription_medicine_enquiry",
    "prescription_medicine_reply",
    "restricted_under_18",
    "under_18_refusal",
]


def _in(check: str, decision: str = "pass", detail: str = "") -> Decision:
    return Decision(check=check, stage="in", decision=decision, detail=detail)


def _out(check: str, decision: str = "pass", detail: str = "") -> Decision:
    return Decision(check=check, stage="out", decision=decision, detail=detail)


def check_inbound(
    message: str, *, facts: ClinicFacts, now: dt.date | dt.datetime | None = None
) -> Inbound:
    """Run every inbound check on the visitor's message; see the module docstring.

    ``now``: the moment of the message, to reckon an age from a date of birth (default today,
    Europe/London)."""
    emergency = detect_emergency(message)
    injection = detect_injection(message)
    medical = detect_medical_question(message)
    young = stated_under_18(message, now)
    medicine = prescription_medicine_enquiry(message)
    decisions = [
        _in("emergency", "alert", f"{emergency.level}: {', '.join(emergency.details)}")
        if emergency
        else _in("emergency"),
        _in("injection", "block", injection) if injection else _in("injection"),
        _in("medical", "block", medical) if medical else _in("medical"),
        _in("under_18", "flag", young) if young else _in("under_18"),
        _in("prescription_medicine", "flag", medicine)
        if medicine
        else _in("prescription_medicine"),
    ]
    result = Inbound(decisions=decisions, outcome=None, reply="", under_18=young is not None)
    if emergency:
        result.outcome = "emergency"
        result.reply = emergency_reply(facts, level=emergency.level)
        result.alert_staff = True
        result.handoff = True
    elif injection:
        result.outcome = "injection"
        result.reply = injection_reply(facts)
        result.quick_replies = list(INJECTION_QUICK_REPLIES)
    elif medical:
        result.outcome = "medical"
        result.reply = medical_reply(facts)
        result.quick_replies = list(MEDICAL_QUICK_REPLIES)
    return result


def check_outbound(
    text: str,
    *,
    facts: ClinicFacts,
    allowed_prices: set[int],
    grounding_text: str,
    visitor_text: str = "",
) -> Outbound:
    """Run every outbound check on an engine's reply; see the module docstring.

    ``allowed_prices``: prices in pence the engine's knowledge supports; ``grounding_text``:
    the knowledge items' text the answer used (its figures, approved wording, phone numbers
    and email addresses are allowed); ``visitor_text``: what the visitor wrote (their own
    email or phone may be echoed back).
    """
    decisions: list[Decision] = []

    rewritten, names = rewrite_medicines(text)
    if rewritten != text:
        detail = f"renamed {', '.join(names)}" if names else "added the prescriber note"
        decisions.append(_out("prescription_medicine", "rewrite", detail))
    else:
        decisions.append(_out("prescription_medicine"))
    text = rewritten

    advice = medical_advice_in_reply(text, grounding_text)
    if advice:
        text = medical_reply(facts)
        decisions.append(_out("medical", "block", f"advice: {advice}"))
    else:
        decisions.append(_out("medical"))

    grounded, removed = ground_prices(text, allowed_prices, grounding_text)
    if removed:
        figures = ", ".join(f"£{p / 100:,.2f}".replace(".00", "") for p in removed)
        decisions.append(_out("price_grounding", "rewrite", f"not in the knowledge: {figures}"))
        text = grounded
    else:
        decisions.append(_out("price_grounding"))

    # The knowledge the answer used is the clinic's own publication: its numbers and
    # addresses are the clinic's, as are the facts' and the visitor's own.
    leak = find_leak(
        text,
        known_phones={
            facts.phone,
            facts.urgent_phone,
            *phones_in(visitor_text),
            *phones_in(grounding_text),
        },
        known_emails={facts.email, *emails_in(visitor_text), *emails_in(grounding_text)} - {""},
    )
    if leak:
        text = injection_reply(facts)
        decisions.append(_out("data_leak", "block", leak))
    else:
        decisions.append(_out("data_leak"))
    return Outbound(text=text, decisions=decisions)
