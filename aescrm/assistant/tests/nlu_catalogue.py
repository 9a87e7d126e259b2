"""Knowledge for the nlu tests: a clinic's real-looking docs and a 500-doc synthetic catalogue."""

from __future__ import annotations

import random

from aescrm.assistant.engines.base import KnowledgeDoc

REAL_DOCS = (
    KnowledgeDoc(
        id="t-invisalign",
        kind="treatment",
        title="Invisalign clear aligners",
        answer="Invisalign straightens teeth with a series of removable clear aligners. "
        "Most courses take 6 to 18 months.",
        keywords="orthodontics aligners",
        treatment_id="tr-1",
        category="Orthodontics",
        price_pence=350000,
        duration_minutes=45,
    ),
    KnowledgeDoc(
        id="t-lip",
        kind="treatment",
        title="Lip filler (1ml)",
        answer="Hyaluronic acid dermal filler to add volume and shape to the lips. "
        "Results last 6 to 9 months.",
        treatment_id="tr-2",
        category="Aesthetics",
        price_pence=25000,
        duration_minutes=45,
        prescription_medicine=False,
    ),
    KnowledgeDoc(
        id="t-antiwrinkle",
        kind="treatment",
        title="Anti-wrinkle consultation and treatment",
        answer="A consultation with a prescriber, then treatment of up to three areas. "
        "Results show in 2 weeks and last 3 to 4 months.",
        treatment_id="tr-3",
        category="Aesthetics",
        price_pence=22000,
        duration_minutes=30,
        prescription_medicine=True,
    ),
    KnowledgeDoc(
        id="t-whitening",
        kind="treatment",
        title="Teeth whitening (home kit)",
        answer="Custom trays and professional gel used at home for two weeks.",
        treatment_id="tr-4",
        category="Cosmetic dentistry",
        price_pence=39500,
    ),
    KnowledgeDoc(
        id="t-hygiene",
        kind="treatment",
        title="Hygienist appointment",
        answer="A 30 minute scale and polish with our hygienist.",
        treatment_id="tr-5",
        category="General dentistry",
        price_pence=7500,
    ),
    KnowledgeDoc(
        id="t-exam",
        kind="treatment",
        title="New patient examination",
        answer="A full check of your teeth and gums, with x-rays if needed.",
        treatment_id="tr-6",
        category="General dentistry",
        price_pence=6500,
    ),
    KnowledgeDoc(
        id="t-bonding",
        kind="treatment",
        title="Composite bonding (per tooth)",
        answer="Tooth-coloured resin shaped onto the tooth to fix chips and gaps.",
        treatment_id="tr-7",
        category="Cosmetic dentistry",
        price_pence=25000,
    ),
    KnowledgeDoc(
        id="t-profhilo",
        kind="treatment",
        title="Profhilo skin booster",
        answer="Two sessions a month apart to hydrate and firm the skin.",
        treatment_id="tr-8",
        category="Aesthetics",
        price_pence=30000,
    ),
    KnowledgeDoc(
        id="faq-parking",
        kind="location",
        title="Where to find us",
        answer="We are at 12 High Street, Guildford GU1 3AA. There is free parking behind the "
        "building and the station is a five minute walk.",
        keywords="address parking directions station",
    ),
    KnowledgeDoc(
        id="faq-hours",
        kind="hours",
        title="Opening hours",
        answer="Monday to Friday 8am to 6pm, Saturday 9am to 1pm, closed on Sunday.",
        keywords="open close times weekend",
    ),
    KnowledgeDoc(
        id="policy-finance",
        kind="finance",
        title="Finance and payment plans",
        answer="Spread the cost of treatment over 6 to 36 months; 0% interest over 12 months "
        "subject to status.",
        keywords="monthly payments klarna interest free credit",
    ),
    KnowledgeDoc(
        id="policy-cancel",
        kind="policy",
        title="Cancellation policy",
        answer="Please give us 48 hours' notice to cancel or move an appointment.",
        keywords="cancel reschedule deposit",
    ),
)

_AREAS = [
    "forehead", "crow's feet", "jawline", "chin", "cheek", "neck", "hands", "décolletage",
    "under eye", "nose", "temple", "back", "legs", "arms", "full face", "upper lip",
]  # fmt: skip
_PROCEDURES = [
    "laser hair removal", "IPL photofacial", "HydraFacial", "polynucleotides", "thread lift",
    "sclerotherapy", "fat dissolving", "mesotherapy", "radiofrequency skin tightening",
    "carbon laser peel", "LED light therapy", "tattoo removal", "dermaplaning", "mole removal",
    "cryotherapy", "vitamin drip", "PRP vampire facial", "tear trough", "non-surgical rhinoplasty",
    "dental bridge", "fixed retainer", "night guard", "sports mouthguard", "gum contouring",
    "fissure sealants", "inlay", "onlay", "sedation", "full denture", "partial denture",
]  # fmt: skip
_FAQ_TOPICS = [
    ("Do you see children?", "We see children from age 3 for check-ups.", "kids family"),
    ("Gift vouchers", "Vouchers are available at reception in any amount.", "gift present"),
    ("Do you accept NHS patients?", "We are a private practice.", "nhs private"),
    ("Aftercare advice", "Avoid exercise, alcohol and make-up for 24 hours.", "after care"),
    ("Wheelchair access", "Our ground floor rooms are step free.", "disabled access"),
    ("Membership plan", "Our plan covers two exams and two hygiene visits a year.", "plan"),
]


def synthetic_catalogue(size: int = 500, seed: int = 6) -> tuple[KnowledgeDoc, ...]:
    """``size`` docs, treatment by area and FAQ variants, plus ``REAL_DOCS`` among them."""
    rng = random.Random(seed)
    docs: list[KnowledgeDoc] = list(REAL_DOCS)
    n = 0
    while len(docs) < size:
        n += 1
        if n % 4 == 0:
            title, answer, keywords = rng.choice(_FAQ_TOPICS)
            docs.append(
                KnowledgeDoc(
                    id=f"faq-{n}",
                    kind="faq",
                    title=f"{title} ({n})",
                    answer=f"{answer} Ask at branch {n}.",
                    keywords=keywords,
                )
            )
            continue
        procedure = rng.choice(_PROCEDURES)
        area = rng.choice(_AREAS)
        docs.append(
            KnowledgeDoc(
                id=f"t-{n}",
                kind="treatment",
                title=f"{procedure.capitalize()} - {area} (course {n})",
                answer=f"{procedure} for the {area}; a course of {rng.randint(1, 6)} sessions.",
                keywords=f"{area} {rng.choice(['skin', 'face', 'smile', 'body'])}",
                treatment_id=f"tr-s{n}",
                category=rng.choice(["Aesthetics", "Skin", "Cosmetic dentistry", "Laser"]),
                price_pence=rng.randint(50, 900) * 100,
            )
        )
    rng.shuffle(docs)
    return tuple(docs)
