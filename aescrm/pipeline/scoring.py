"""Lead scores 0–100 with the reasons behind them (decision 0011).

Every score is built from the same six explainable factors, each in [0, 1]:

- ``value``: the treatment's price (implants and aligners far above a check-up);
- ``intent``: words of urgency or of booking in the message ("asap", "this week");
- ``channel``: how they reached the clinic (a phone call beats an email);
- ``completeness``: name, email and phone all given;
- ``recency``: how fresh the enquiry is (halves every week);
- ``engagement``: earlier enquiries and marketing touches of the same person.

Until a clinic has enough closed leads the score is a fixed weighting of the
factors (``RULE_WEIGHTS``). After that a logistic regression trained on the
clinic's own won/lost leads supplies the weights (``ScoringModel``); the
reasons are then the factors that add most to that model's log-odds.
A patient who objected to profiling gets no score at all.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from aescrm.attribution.models import Touch
from aescrm.patients.models import Enquiry

FEATURES = ("value", "intent", "channel", "completeness", "recency", "engagement")
RULE_WEIGHTS = {
    "value": 30,
    "intent": 20,
    "channel": 10,
    "completeness": 15,
    "recency": 15,
    "engagement": 10,
}
OBJECTED = "patient objected to profiling"
RESTRICTED = "processing of this patient's data is restricted"
# £3,000 (a single implant) and above counts as the top of the value scale.
TOP_VALUE_PENCE = 300_000
URGENT_WORDS = (
    "asap",
    "as soon as possible",
    "urgent",
    "today",
    "tomorrow",
    "this week",
    "right away",
    "straight away",
    "in pain",
)
BOOKING_WORDS = ("book", "appointment", "consultation", "next week", "available", "availability")
CHANNEL_WEIGHT = {
    "phone": 1.0,
    "walk_in": 1.0,
    "chat": 0.7,
    "web_form": 0.7,
    "sms": 0.6,
    "email": 0.5,
}


@dataclass
class LeadFacts:
    price_pence: int = 0
    treatment_name: str = ""
    message: str = ""
    channel: str = ""
    has_name: bool = False
    has_email: bool = False
    has_phone: bool = False
    age_days: float = 0.0
    earlier_enquiries: int = 0
    touches: int = 0


@dataclass
class Score:
    score: int | None
    reasons: list[str] = field(default_factory=list)
    method: str = "rules"


def _words(message: str, words: Sequence[str]) -> list[str]:
    text = message.lower()
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", text)]


def features(facts: LeadFacts) -> dict[str, float]:
    value = 0.0
    if facts.price_pence > 0:
        value = min(1.0, math.log1p(facts.price_pence / 100) / math.log1p(TOP_VALUE_PENCE / 100))
    intent = 1.0 if _words(facts.message, URGENT_WORDS) else 0.0
    if not intent and _words(facts.message, BOOKING_WORDS):
        intent = 0.5
    complete = (facts.has_name + facts.has_email + facts.has_phone) / 3
    return {
        "value": round(value, 4),
        "intent": intent,
        "channel": CHANNEL_WEIGHT.get(facts.channel, 0.5),
        "completeness": round(complete, 4),
        "recency": round(0.5 ** (max(facts.age_days, 0.0) / 7), 4),
        "engagement": min(1.0, (facts.earlier_enquiries + facts.touches) / 4),
    }


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.0f}"


def explain(name: str, facts: LeadFacts) -> str:
    """One factor in words a receptionist understands."""
    if name == "value":
        return f"treatment value: {facts.treatment_name} ({_pounds(facts.price_pence)})"
    if name == "intent":
        urgent = _words(facts.message, URGENT_WORDS)
        if urgent:
            return f"wants to be seen soon (“{urgent[0]}”)"
        return f"asks to book (“{_words(facts.message, BOOKING_WORDS)[0]}”)"
    if name == "channel":
        return f"came by {facts.channel.replace('_', ' ')}"
    if name == "completeness":
        given = [
            label
            for label, ok in (
                ("name", facts.has_name),
                ("email", facts.has_email),
                ("phone", facts.has_phone),
            )
            if ok
        ]
        return "full contact details" if len(given) == 3 else f"contact details: {', '.join(given)}"
    if name == "recency":
        return (
            "enquired today" if facts.age_days < 1 else f"enquired {int(facts.age_days)} days ago"
        )
    return (
        f"engaged before ({facts.earlier_enquiries} earlier enquiries, "
        f"{facts.touches} ad or site visits)"
    )


def rule_score(facts: LeadFacts) -> Score:
    x = features(facts)
    parts = {name: RULE_WEIGHTS[name] * x[name] for name in FEATURES}
    total = round(sum(parts.values()))
    top = sorted((p, name) for name, p in parts.items() if p >= 1)[::-1][:3]
    return Score(max(0, min(100, total)), [explain(name, facts) for _, name in top], "rules")


def model_score(facts: LeadFacts, model: Any) -> Score:
    """Score with a clinic's trained model (its JSON coefficients, no pickle)."""
    x = features(facts)
    weights = dict(zip(model.features, model.coefficients, strict=True))
    contributions = {name: weights.get(name, 0.0) * x[name] for name in FEATURES}
    logit = model.intercept + sum(contributions.values())
    probability = 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))
    top = sorted((c, name) for name, c in contributions.items() if c > 0.05)[::-1][:3]
    reasons = [explain(name, facts) for _, name in top]
    reasons.append(f"learned from {model.n} of this clinic's closed leads")
    return Score(round(100 * probability), reasons, "model")


def score_facts(
    facts: LeadFacts, *, objected: bool, model: Any = None, restricted: bool = False
) -> Score:
    # UK GDPR art. 18: a restricted record is stored, not processed, so not scored either.
    if restricted:
        return Score(None, [RESTRICTED], "none")
    if objected:
        return Score(None, [OBJECTED], "none")
    return model_score(facts, model) if model is not None else rule_score(facts)


def facts_for(
    enquiries: Iterable[Enquiry], *, now: dt.datetime | None = None, as_at_creation: bool = False
) -> dict[Any, LeadFacts]:
    """Facts for many enquiries in three queries (enquiries with patient and treatment loaded).

    ``as_at_creation`` (for training on history) counts earlier enquiries,
    touches and age only as they were when each enquiry arrived. Contact
    details, treatment and message are the current record's: no history of
    them is kept, so details added later (say, when the lead was won) do leak
    into completeness (decision 0011).
    """
    rows = list(enquiries)
    now = now or timezone.now()
    patient_ids = {e.patient_id for e in rows}
    enquiry_times: dict[Any, list[dt.datetime]] = defaultdict(list)
    for pid, created in Enquiry.objects.filter(patient_id__in=patient_ids).values_list(
        "patient_id", "created_at"
    ):
        enquiry_times[pid].append(created)
    touch_times: dict[Any, list[dt.datetime]] = defaultdict(list)
    for pid, occurred in Touch.objects.filter(patient_id__in=patient_ids).values_list(
        "patient_id", "occurred_at"
    ):
        touch_times[pid].append(occurred)
    out = {}
    for e in rows:
        patient = e.patient
        cutoff = e.created_at if as_at_creation else now
        out[e.pk] = LeadFacts(
            price_pence=e.treatment.price_pence if e.treatment else 0,
            treatment_name=e.treatment.name if e.treatment else "",
            message=e.message or "",
            channel=e.channel,
            has_name=bool(patient.first_name or patient.last_name),
            has_email=bool(patient.email),
            has_phone=bool(patient.phone),
            age_days=0.0 if as_at_creation else (now - e.created_at).total_seconds() / 86400,
            earlier_enquiries=sum(1 for t in enquiry_times[e.patient_id] if t < e.created_at),
            touches=sum(1 for t in touch_times[e.patient_id] if t <= cutoff),
        )
    return out
