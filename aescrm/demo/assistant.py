"""Demo knowledge for the website assistant: the catalogue plus a clinic's usual answers.

Run inside the clinic's scope; safe to re-run (items are matched by title).
"""

from __future__ import annotations

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Role
from aescrm.assistant.knowledge import (
    KnowledgeInput,
    SettingsInput,
    knowledge_create,
    knowledge_import_catalogue,
    settings_update,
)
from aescrm.assistant.models import KnowledgeItem
from aescrm.patients.normalise import format_phone_national

ADDRESSES = {
    "harbour": (
        "14 Harbour Parade, Portishead BS20 7DF, opposite the marina. There is free parking "
        "for patients in the car park behind the clinic (enter from Quay Lane), and the X4 "
        "bus stops outside."
    ),
    "northgate": (
        "3 Northgate Street, Chester CH1 2HA, inside the city walls. The nearest car park is "
        "Frodsham Street (about 5 minutes' walk); the Park and Ride stops at Northgate."
    ),
}


def _faqs(clinic: Clinic, phone: str, domain: str) -> list[KnowledgeInput]:
    return [
        KnowledgeInput(
            kind="hours",
            title="When are you open?",
            answer=(
                "We are open Monday to Friday 9:00–17:30. We are closed at weekends and on "
                "bank holidays."
            ),
            keywords="opening times, hours, open today, weekend, saturday, sunday",
        ),
        KnowledgeInput(
            kind="location",
            title="Where are you, and is there parking?",
            answer=f"You will find us at {ADDRESSES[clinic.slug]}",
            keywords="address, directions, car park, parking, bus, where",
        ),
        KnowledgeInput(
            kind="location",
            title="Is the clinic accessible?",
            answer=(
                "Yes. We have step-free access, a ground-floor treatment room and an "
                "accessible toilet. Tell us when you book if you would like a longer "
                "appointment or any help on the day."
            ),
            keywords="wheelchair, disabled, step-free, access, mobility",
        ),
        KnowledgeInput(
            kind="finance",
            title="Can I spread the cost?",
            answer=(
                "Yes. For treatments over £1,000 you can spread the cost over 12 months at 0% "
                "through our credit provider, subject to status. We can give you a finance "
                "quote at your consultation."
            ),
            keywords="finance, monthly payments, pay monthly, instalments, credit, 0%",
        ),
        KnowledgeInput(
            kind="finance",
            title="How can I pay?",
            answer=(
                "We take debit and credit cards, Apple Pay and Google Pay, and bank transfer "
                "for larger treatments. We do not take cheques."
            ),
            keywords="payment, card, cash, bank transfer, apple pay",
        ),
        KnowledgeInput(
            kind="finance",
            title="Is there a consultation fee?",
            answer=(
                "A cosmetic consultation costs £50, which comes off your treatment if you go "
                "ahead within 30 days. Our clear aligners consultation is free."
            ),
            keywords="consultation cost, consultation price, free consultation",
        ),
        KnowledgeInput(
            kind="policy",
            title="What is your cancellation policy?",
            answer=(
                "Please give us at least 48 hours' notice if you need to cancel or move an "
                "appointment. Some treatments need a deposit when you book: it moves to your "
                "new appointment if you give 48 hours' notice, and is kept if you do not."
            ),
            keywords="cancel, rearrange, reschedule, deposit, late, missed appointment",
        ),
        KnowledgeInput(
            kind="faq",
            title="Who do I contact after my treatment?",
            answer=(
                f"Call us on {phone} during opening hours, or reply to your aftercare email, "
                "and one of the clinical team will get back to you the same day. Out of hours "
                "call NHS 111, and in an emergency call 999."
            ),
            keywords="aftercare, after treatment, swelling, worried, problem, follow-up",
        ),
        KnowledgeInput(
            kind="policy",
            title="Do you treat under-18s?",
            answer=(
                "We see children for dental check-ups and hygiene appointments with a parent "
                "or guardian. We do not give cosmetic injectables, such as anti-wrinkle "
                "treatment or dermal fillers, to anyone under 18."
            ),
            keywords="children, child, kids, teenager, under 18, age",
        ),
        KnowledgeInput(
            kind="policy",
            title="How do I make a complaint?",
            answer=(
                "We are sorry if something has gone wrong. Tell any member of the team, or "
                f"email our practice manager at manager@{domain}. We acknowledge complaints "
                "within 3 working days and aim to reply in full within 20 working days. If "
                "you are unhappy with our reply about private dental care, you can contact "
                "the Dental Complaints Service."
            ),
            keywords="complaint, complain, unhappy, feedback, problem with treatment",
        ),
    ]


def seed_assistant(clinic: Clinic, urgent_phone: str) -> None:
    caller = Caller(clinic_id=clinic.pk, role=Role.OWNER)
    domains = clinic.website_domains or [f"{clinic.slug}.example"]
    settings_update(
        caller=caller,
        data=SettingsInput(
            assistant_name="Assistant",
            greeting=(
                f"Hello! I'm the {clinic.name} assistant. I can tell you about our treatments "
                "and prices, and book you in."
            ),
            privacy_notice_url=f"https://{domains[-1]}/privacy",
            urgent_phone=urgent_phone,
        ),
    )
    knowledge_import_catalogue(caller=caller)
    known = set(KnowledgeItem.objects.values_list("title", flat=True))
    for data in _faqs(clinic, format_phone_national(urgent_phone), domains[0]):
        if data.title not in known:
            knowledge_create(caller=caller, data=data)
