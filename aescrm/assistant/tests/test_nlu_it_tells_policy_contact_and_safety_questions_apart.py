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


# Held-out families: deposits and notice, open + a day, getting here, slang, changes of mind,
# a child's visit, "can't see" as a complaint or as lost vision.
MORE = {
    "treatment_info": [
        "how much notice do i need to give if i need to cancel",
        "what notice do you need if i cancel",
        "do i have to pay a deposit to book anything?",
        "is there a deposit to book?",
        "do you need a deposit when booking filler",
        "do I need to pay anything up front to book",
        "my son is 9, can he see the hygienist with me?",
        "can my daughter come to the hygienist with me? she's 11",
        "can my kids have a check up at the same time as me",
        "Do you use Bocouture or Xeomin? I had a reaction to another brand before",
    ],
    "opening_hours": [
        "are you open saturday morning",
        "are you open on sundays",
        "is the clinic open thursday evening",
        "you open saturdays?",
        "are you open bank holiday monday",
    ],
    "location": [
        "is there anywhere to park near you? ill be driving from surbiton",
        "how far are you from kingston train station",
        "how long a walk is it from the station",
        "is it walking distance from the train station",
        "where abouts are you?",
        "can I park nearby",
    ],
    "booking": [
        "need my tox topping up asap its wearing off lol",
        "due a top up of my botox",
        "new patient exam asap please, tooth has been a bit sensitive",
        "can i book a check up asap, bit of a sensitive tooth",
        "actually no sorry, make it a hygienist appointment instead, whitening after",
        "no sorry, can we do friday instead",
        "i'd rather have a skin booster",
        "id rather go for invisalign",
        "can we switch it to lip filler",
        "make it a check up instead",
        "earliest hygienist appointment please",
    ],
    "complaint": [
        "I'm really unhappy with my whitening, paid £395 and honestly cant see any difference."
        " I want a refund",
        "paid for whitening and i can't see a difference, not happy, i want my money back",
    ],
    "emergency": [
        "i can't see out of my left eye after filler",
        "cant see a thing since my filler this morning",
        "I suddenly can't see properly after cheek filler",
    ],
    "pricing": [
        "how much is a hygienist appointment",
        "how much is a hygienist appointment and are you open saturday morning",
        "what does a new patient appointment cost",
    ],
}


@pytest.mark.parametrize(
    ("intent", "text"),
    [(intent, text) for families in (FAMILIES, MORE) for intent, texts in families.items()
     for text in texts],
)  # fmt: skip
def test_it_reads_the_intent(intent, text):
    guess = classify(text)
    assert guess.intent == intent, (text, guess)
