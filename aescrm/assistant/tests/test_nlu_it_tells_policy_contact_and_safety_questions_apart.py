"""Families of phrasings that look alike but ask different things: a policy, the clinic's
contact details, a bot check, an "emergency appointment", a complaint about waiting."""

import pytest

from aescrm.assistant.nlu import classify

FAMILIES = {
    # What the clinic offers, what a visit involves, and its policies: answered from knowledge.
    "treatment_info": [
        "what treatments do you offer?",
        "which treatments do you do",
        "what services do you provide",
        "what else do you offer",
        "what happens at a new patient exam",
        "what's involved in a new patient examination",
        "what can i expect at my first hygienist appointment",
        "can I cancel my appointment",
        "whats your cancellation policy",
        "if i cancel the day before do i lose my deposit?",
        "do you take a deposit when i book",
        "is the deposit refundable",
        "is the consultation free",
        "are consultations free?",
        "do you do free consultations",
        "do you do NHS",
        "nhs?",
        "nhss",
        "are u an nhs dentist?",
        "do you treat children",
        "do you see kids?",
        "is there an age limit",
        "is the clinic wheelchair accessible",
        "is there step free access",
        "can i go to the gym after lip filler",
        "when can i exercise after botox",
        "can i wear makeup after a chemical peel",
    ],
    "opening_hours": [
        "are you open late",
        "do you do any late evenings? i work til 6",
        "late evening appointments?",
        "do you do weekends",
        "any early morning appointments",
        "how late are you open on thursday",
        "are you open after work",
    ],
    "location": [
        "which street are you on",
        "where are you based?",
        "postcode?",
        "postcode please for my satnav",
        "whr r u",
        "where r u",
        "whats your phone number",
        "what's your email address",
        "email address?",
        "how can i contact you",
        "what number do i call",
        "directions to the clinic pls",
    ],
    "human": [
        "can I speak to someone from the team",
        "Could someone from the team message me here?",
        "can the team message me about lip filler",
        "could somebody text me",
        "can a person call me back please",
        "I'd like to talk to a real person please",
    ],
    "small_talk": [
        "am i talking to a real person",
        "am I speaking to a human?",
        "is this a real person",
        "are you a real human",
    ],
    "complaint": [
        "I've been waiting ages and nobody called me back",
        "Ive been waiting 3 weeks for a call back this is ridiculous",
        "still waiting for a reply to my email",
        "how do I make a complaint",
        "who do I complain to",
        "who deals with complaints",
        "nobody rang me back like they promised",
    ],
    "out_of_scope": [
        "help me with my tax return",
        "can you help me with my tax return",
        "help me write a cover letter",
    ],
    "pricing": [
        "how much is an emergency appointment",
        "how much is an emergency appointment if i need one",
        "what do you charge for an emergency dentist",
        "price of an urgent appointment",
    ],
    "booking": [
        "I need an emergency appointment, I lost a filling",
        "can i book an emergency appointment for tomorrow morning? a filling fell out but it"
        " doesnt hurt",
        "do you have any emergency appointments today, my crown came out",
        "book a consultation for invisalign please",
        "actually can i do composite bonding instead",
        "can i switch to the hygienist",
    ],
    "finance": [
        "can I pay in instalments",
        "can i pay that monthly",
        "do you take cash",
        "do you accept cash",
        "can i pay by card",
        "do you take apple pay",
    ],
    "emergency": [
        "can't breathe",
        "face swelling",
        "my throat feels like its closing up",
        "where i had filler is hot, red and really painful and the redness is spreading",
        "I have an emergency",
        "help",
        "my tooth fell out after I fell over",
    ],
    "medical": [
        "how many years younger will i look after anti wrinkle",
        "my tooth hurts when i drink cold things, what is it?",
        "my gums bleed a bit when i brush, is that gum disease?",
        "can you guarantee it will look natural",
    ],
}


@pytest.mark.parametrize(
    ("intent", "text"), [(intent, text) for intent, texts in FAMILIES.items() for text in texts]
)
def test_it_reads_the_intent(intent, text):
    guess = classify(text)
    assert guess.intent == intent, (text, guess)
