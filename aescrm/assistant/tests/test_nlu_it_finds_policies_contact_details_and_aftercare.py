"""rank() tells apart a clinic's look-alike items: finance and payment methods, cancellation
and deposits, the address and the phone number; find_treatment() reads brands and areas."""

import pytest

from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.nlu import children_policy, find_treatment, rank


def item(key, kind, title, answer, keywords=""):
    return KnowledgeDoc(id=key, kind=kind, title=title, answer=answer, keywords=keywords)


def treatment(key, title, category="Aesthetics"):
    return KnowledgeDoc(
        id=key, kind="treatment", title=title, treatment_id=key, category=category,
        answer="This treatment costs £100 and takes about 30 minutes.", price_pence=10000,
    )  # fmt: skip


DOCS = (
    treatment("lip", "Lip filler (1ml)"),
    treatment("aw", "Anti-wrinkle consultation and treatment"),
    treatment("inv", "Invisalign clear aligners", "Orthodontics"),
    treatment("white", "Teeth whitening", "Cosmetic dentistry"),
    treatment("hyg", "Hygienist appointment", "Dental"),
    treatment("exam", "New patient examination", "Dental"),
    treatment("bond", "Composite bonding (per tooth)", "Cosmetic dentistry"),
    treatment("implant", "Dental implant consultation", "Dental"),
    treatment("cheek", "Dermal filler (cheeks)"),
    treatment("emerg", "Emergency dental appointment", "Dental"),
    item("where", "location", "Where to find us",
         "We're at 14 Riverside Walk, Kingston upon Thames, KT1 1QN, a five-minute walk from"
         " Kingston station.", "address, where, located, directions, postcode, station, find you"),
    item("parking", "location", "Parking",
         "We have four free parking spaces behind the clinic, reached from Wood Street.",
         "park, parking, car, car park, drive"),
    item("contact", "location", "Contact details",
         "Call us on 020 7946 0100 or email hello@example.com.",
         "phone number, telephone, call, email, contact"),
    item("finance", "finance", "Paying in instalments (finance)",
         "Treatments over £500 can be spread over 6 to 24 months with 0% finance.",
         "finance, monthly, instalments, installments, payment plan, spread the cost, credit"),
    item("methods", "finance", "Payment methods",
         "We take Visa, Mastercard and American Express, Apple Pay, Google Pay and cash.",
         "pay, payment, card, cash, amex, apple pay, google pay, cheque"),
    item("cancel", "policy", "Cancellation policy",
         "Please give us at least 48 hours' notice to cancel or move an appointment. If you"
         " cancel later than that, or miss it, the deposit is kept.",
         "cancel, cancellation, reschedule, move my appointment, late, missed"),
    item("fee", "faq", "Consultation fee",
         "An aesthetic consultation costs £50, and the £50 comes off your treatment.",
         "consultation, consult, fee, free consultation"),
    item("deposit", "policy", "Deposits",
         "We take a £50 deposit to secure aesthetic appointments.", "deposit, secure, upfront"),
    item("aftercare", "faq", "Aftercare after filler",
         "For 24 hours after filler avoid make-up, strenuous exercise, saunas and alcohol.",
         "aftercare, after filler, gym, exercise, make up, makeup, swelling, bruising, review"),
    item("access", "faq", "Accessibility",
         "The clinic has step-free access, an accessible toilet and a hearing loop.",
         "wheelchair, accessible, access, disabled, step free, hearing loop, pram"),
    item("children", "policy", "Children and under 18s",
         "We see children for check-ups and hygienist visits with a parent or guardian.",
         "children, child, kids, son, daughter, under 18, teenager, age"),
    item("nhs", "faq", "NHS dental treatment",
         "We're a private practice and don't offer NHS dental treatment.",
         "nhs, private, free dental"),
    item("vouchers", "faq", "Gift vouchers", "Gift vouchers are available from £25.",
         "voucher, gift, present, gift card"),
    item("complaints", "policy", "Complaints",
         "We're sorry if something hasn't gone right. Please email our practice manager.",
         "complaint, complain, unhappy, not happy, refund, rude, feedback"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [
        ("can i pay in instalments", "finance"),
        ("can i pay that monthly", "finance"),
        ("is there a payment plan", "finance"),
        ("do you accept cash", "methods"),
        ("do you take cash", "methods"),
        ("can i pay by card", "methods"),
        ("do you take cards", "methods"),
        ("is the clinic wheelchair accessible", "access"),
        ("is there step free access", "access"),
        ("whats your phone number", "contact"),
        ("email address?", "contact"),
        ("what's your email", "contact"),
        ("whats your cancellation policy", "cancel"),
        ("if i cancel the day before do i lose my deposit?", "cancel"),
        ("can I cancel my appointment", "cancel"),
        ("do you take a deposit when i book", "deposit"),
        ("are consultations free?", "fee"),
        ("is the consultation free", "fee"),
        ("can i go to the gym after lip filler", "aftercare"),
        ("can i work out after cheek filler", "aftercare"),
        ("do you see kids?", "children"),
        ("do you treat children", "children"),
        ("are u an nhs dentist?", "nhs"),
        ("do you do NHS", "nhs"),
        ("nhss?", "nhs"),
        ("where are you based?", "where"),
        ("where r u", "where"),
        ("which street are you on", "where"),
        ("postcode please for my satnav", "where"),
        ("directions to the clinic pls", "where"),
        ("do you do dysport", "aw"),
        ("Do you use Azzalure or Bocouture?", "aw"),
        ("how much is botex for forehead lines", "aw"),
        ("do u do botox for sweaty armpits", "aw"),
        ("my daughter is 14 can she have her lips done", "lip"),
        # Parking, getting here and the address: never the phone number for "near you".
        ("is there anywhere to park near you? ill be driving from surbiton", "parking"),
        ("can I park nearby", "parking"),
        ("parking near you?", "parking"),
        ("is it easy to park round yours", "parking"),
        ("where can i leave my car", "parking"),
        ("coming by car from wimbledon, where do i park?", "parking"),
        ("how far are you from kingston train station", "where"),
        ("how far is it from the station", "where"),
        ("is it walking distance from the train", "where"),
        ("how long a walk is it from the station", "where"),
        ("can i get the bus to you", "where"),
        ("how do i get to you by tube from richmond", "where"),
        ("where abouts are you?", "where"),
        ("whereabouts are you", "where"),
        ("how can i contact you", "contact"),
        ("can i ring you", "contact"),
        # Notice and deposits, however the question is put.
        ("how much notice do i need to give if i need to cancel", "cancel"),
        ("how much notice do you need to cancel", "cancel"),
        ("what notice do i have to give to move my appointment", "cancel"),
        ("do i have to pay a deposit to book anything?", "deposit"),
        ("is there a deposit to book?", "deposit"),
        ("do you need a deposit up front when booking", "deposit"),
        ("how much is the deposit", "deposit"),
        # An unhappy patient naming the treatment is a complaint first.
        (
            "I'm really unhappy with my whitening, paid £395 and honestly cant see any"
            " difference. I want a refund",
            "complaints",
        ),
        ("really disappointed with my lip filler, i want my money back", "complaints"),
        ("i'm upset with how my bonding turned out", "complaints"),
        # Brands and slang of the anti-wrinkle medicines.
        ("Do you use Bocouture or Xeomin? I had a reaction to another brand before", "aw"),
        ("need my tox topping up asap its wearing off lol", "aw"),
        ("is it time for a botox top up, it's worn off", "aw"),
        ("had a reaction to dysport, do you use a different brand", "aw"),
    ],
)
def test_it_finds_the_item(query, doc_id):
    hits = rank(query, DOCS)
    assert hits, query
    assert hits[0].doc.id == doc_id, [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("book a consultation for invisalign please", "inv"),
        ("can I book an invisalign consultation", "inv"),
        ("Hi, I'm Sophie Turner, 07700 900333, can I book the hygienist on saturday?", "hyg"),
        ("my name is Tom Baker, tom@example.com, I'd like the hygienist next tuesday", "hyg"),
        ("actually can i do composite bonding instead", "bond"),
        ("can i book an emergency appointment for tomorrow morning? a filling fell out", "emerg"),
        ("I need an emergency appointment, I lost a filling", "emerg"),
        ("book botox for my 15 year old", "aw"),
        ("botox prices for forehead and crows feet?", "aw"),
        ("can i get botox for my frown lines next week", "aw"),
        ("do you do botox in the jaw for teeth grinding", "aw"),
        ("jaw slimming injections", "aw"),
        ("masseter", "aw"),
        ("how much for three areas", "aw"),
        ("price for 3 areas of botox?", "aw"),
        ("is xeomin cheaper than botox?", "aw"),
        ("letybo", "aw"),
        ("hyperhidrosis", "aw"),
        ("anything for excessive sweating?", "aw"),
        ("im 17 and want cheek filler for my birthday", "cheek"),
        # Slang for the anti-wrinkle medicine.
        ("need my tox topping up asap its wearing off lol", "aw"),
        ("due a top up of my tox", "aw"),
        ("Do you use Bocouture or Xeomin?", "aw"),
        # A change of mind names the treatment wanted now.
        ("actually no sorry, make it a hygienist appointment instead, whitening after", "hyg"),
        ("make that a check up instead", "exam"),
        ("switch it to cheek filler please", "cheek"),
        ("can we change it to teeth whitening", "white"),
        ("i'd rather have invisalign than bonding", "inv"),
        ("hmm whitening instead of bonding", "white"),
        ("not whitening, make it the hygienist", "hyg"),
        # A child's visit names the treatment, and only it.
        ("my son is 9, can he see the hygienist with me?", "hyg"),
    ],
)
def test_it_names_the_treatment_among_names_times_and_areas(text, doc_id):
    found = find_treatment(text, DOCS)
    assert found is not None and found.id == doc_id, text


@pytest.mark.parametrize(
    "text", ["can I book a consultation", "skin peel", "laser hair removal", "Tom Baker"]
)
def test_it_names_none_when_the_message_does_not_settle_it(text):
    assert find_treatment(text, DOCS) is None


@pytest.mark.parametrize(
    "query",
    [
        "my son is 9, can he see the hygienist with me?",
        "can i bring my 7 year old in for a check up?",
        "my daughter, who's 12, needs a check up",
        "do you see kids for the hygienist",
    ],
)
def test_a_childs_visit_finds_the_childrens_policy_beside_the_treatment(query):
    hits = rank(query, DOCS)
    assert "children" in [h.doc.id for h in hits], [(h.doc.title, h.score) for h in hits]
    found = children_policy(query, DOCS)
    assert found is not None and found.id == "children"


@pytest.mark.parametrize(
    "query", ["my son is 25 and wants invisalign", "how much is lip filler", "parking?"]
)
def test_an_adult_or_no_one_in_particular_is_not_about_children(query):
    assert children_policy(query, DOCS) is None
