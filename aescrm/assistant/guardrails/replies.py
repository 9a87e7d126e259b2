"""The fixed replies the guardrails give instead of the engine's answer (British English)."""

from __future__ import annotations

from aescrm.assistant.guardrails.types import ClinicFacts
from aescrm.assistant.wording import possessive

MEDICAL_QUICK_REPLIES = ["Book a consultation", "Speak to a person"]
INJECTION_QUICK_REPLIES = ["Prices", "Book an appointment", "Opening hours", "Speak to a person"]

# The generic texts, for callers without clinic facts; the functions add the clinic's numbers.
EMERGENCY_REPLY = (
    "This sounds like it could be a medical emergency. If you are struggling to breathe, your "
    "throat or tongue is swelling, you have chest pain or someone has collapsed, call 999 now. "
    "Otherwise call NHS 111 straight away or go to your nearest A&E. "
    "I have alerted the clinic team."
)
MEDICAL_REPLY = (
    "I'm sorry, I can't give medical advice, including about whether a treatment is right or "
    "safe for you, doses, symptoms or results. One of our clinicians can talk this through "
    "with you properly at a consultation. Would you like to book one, or speak to a member "
    "of the team?"
)
INJECTION_REPLY = (
    "Sorry, I can't help with that. I can tell you about our treatments and prices, opening "
    "hours and how to find us, help you book an appointment, or put you in touch with the team."
)
CRISIS_REPLY = (
    "I'm really sorry you're feeling like this. Please call 999 now if you are in danger, or "
    "talk to Samaritans any time, free, on 116 123. I have alerted the clinic team."
)


def _clinic_line(facts: ClinicFacts) -> str:
    if facts.urgent_phone:
        clinic = possessive(facts.clinic_name)
        return f" You can also call {clinic} urgent line on {facts.urgent_phone}."
    return ""


def emergency_reply(facts: ClinicFacts, *, level: str = "999") -> str:
    """``level`` "999": breathing, throat or tongue swelling, chest pain, collapse;
    "111": urgent but not life-threatening (bleeding, severe pain, signs after filler);
    "crisis": the visitor may harm themselves."""
    if level == "crisis":
        return CRISIS_REPLY
    if level == "999":
        lead = (
            "Please call 999 now. This could be a medical emergency: if you or the person with "
            "you are struggling to breathe, have swelling of the throat or tongue, chest pain or "
            "have collapsed, don't wait."
        )
    else:
        lead = (
            "Please get urgent medical help now: call NHS 111 or go to your nearest A&E. "
            "If there is any difficulty breathing, swelling of the throat or tongue, chest "
            "pain or collapse, call 999."
        )
    return f"{lead}{_clinic_line(facts)} I have alerted the clinic team and they will be in touch."


def medical_reply(facts: ClinicFacts) -> str:
    contact = f" You can also call us on {facts.phone}." if facts.phone else ""
    return MEDICAL_REPLY + contact


def injection_reply(facts: ClinicFacts) -> str:
    return INJECTION_REPLY
