"""Inbound emergency check: urgent symptoms stop the turn, alert staff and send the visitor
to 999 or NHS 111; ordinary questions about treatments never do."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import ClinicFacts, check_inbound

FACTS = ClinicFacts("Alpha Dental", urgent_phone="020 7946 0018", phone="0161 496 0000")

CALL_999 = [
    "I can't breathe",
    "cant breath",
    "i cant breathe properly after the injection",
    "im struggling to breathe",
    "having trouble breathing since my filler",
    "difficulty breathing",
    "my husband is short of breath and wheezing",
    "my throat is closing up",
    "throat feels tight after botox",
    "my tongue is swolen",
    "tounge swelling really fast",
    "swollen throat after the dentist",
    "my throat is swelling",
    "i think im having an allergic reaction",
    "anaphylaxis",
    "she needs her epipen",
    "swollen lips and hives after filler",
    "my face is swelling and i think it's allergic",
    "chest pain",
    "I have chest pain and feel sick",
    "pain in my chest after the anaesthetic",
    "my mum fainted in the waiting room",
    "help my daughter passed out",
    "she collapsed",
    "he is unconscious",
    "i feel like im going to faint",
    "call an ambulance",
    "my throat feels like its closing up",
    "feels like my throat is closing",
    "my throat is kind of tight and closing",
    "throat feels like it's shutting after the injection",
]

CALL_111 = [
    "my lip went white and hurts after filler yesterday",
    "My lip went white after filler",
    "lip gone blue after filler",
    "my nose turned grey after filler",
    "my lips are blanching after filler",
    "skin looks mottled where the filler went in",
    "part of my lip is dusky since the filler",
    "my cheek has gone really pale and sore after filler this morning",
    "My lip is white after filler this morning",
    "my vision is blurry after filler",
    "blurred vision after my tear trough filler",
    "i cant see properly out of my left eye since the filler",
    "seeing double after botox",
    "bleading wont stop after extraction",
    "bleeding won't stop after my tooth out",
    "still bleeding after my tooth out 5 hours ago",
    "my mouth keeps bleeding heavily after the extraction",
    "there is so much blood since my wisdom tooth came out",
    "it's bleeding a lot after my extraction today",
    "severe pain after extraction",
    "im in agony after my root canal",
    "the pain is unbearable since my implant",
    "excruciating pain in my jaw",
    "my tooth is killing me i cant sleep",
    "my face is swelling up really fast",
    "my face is swollen and i have a temperature",
    "abscess and a fever",
    "i have an abscess and the swelling is spreading to my eye",
    "absess with feaver and my jaw is swolen",
    "massive swelling in my cheek and i cant open my mouth",
    "my lips are huge and getting bigger after filler",
    "my jaw is swollen and hot and i feel really unwell",
    "cant swallow and my neck is swollen",
    "i have a swollen face and feel feverish after tooth out",
    "my chin went a weird colour after filler",
    "theres a white patch on my lip after filler and it hurts",
    "help my lips gone white after filler what do i do",
    "lip filler yesterday now my lip is white and cold",
    "lips turned purple after fillers",
    "the pain is so bad after my extraction yesterday",
    "im in agony",
    "i knocked my tooth out",
    "it's an emergency",
    "I have a dental emergency",
    # colour change described with another word first
    "the skin on my cheek looks blotchy and blue after filler",
    "my lip looks swollen and purple after filler today",
    "my cheek is patchy and grey since the filler",
    # infection after a treatment: hot, red, painful, spreading
    "where i had filler is hot, red and really painful and the redness is spreading",
    "the redness is spreading after my filler",
    "my lip is hot red and swollen after filler",
    "red streaks spreading from where i had botox",
    "theres pus coming out where the filler went in",
    "the injection site is warm, red and throbbing since yesterday",
    # colour words in any order or pair, near the treated skin, after the visitor's filler
    "my lip is a greyish blue colour since my filler",
    "patchy white skin on my chin after filler this morning",
    "my forehead has gone pale and blotchy since the filler",
    "there's a purple mottled bit on my cheek since my filler",
    "the area under my nose is blue grey since i had my filler done",
    "my lip went a bluey grey since the filler",
    "the tip of my nose is pale and cold since my filler",
    "my chin has a blotchy purplish patch after filler",
    # vision changes
    "since my filler i cant see properly",
    "lost sight in my right eye after filler",
    "my eyesights gone funny after filler",
    "everything looks blurry out of my left eye since my filler",
    "my eye has gone blurry after the filler",
    # a knocked-out adult tooth
    "my daughter's front tooth fell out after a fall at school",
    "his tooth came out at rugby",
    "knocked out my front tooth playing football",
    "my tooth got knocked clean out",
    "my adult tooth fell out when i fell over",
    "i fell off my bike and a tooth came out",
    "my husband got hit in the mouth and a tooth came out completely",
    # bleeding that will not stop
    "i cant get it to stop bleeding since my extraction",
    "been bleeding for hours after my extraction",
    "my tooth socket keeps filling up with blood",
    "its bled through all the gauze after my wisdom tooth came out",
    # swelling spreading to the eye or neck; trouble swallowing with a dental infection
    "the swelling from my bad tooth has gone down into my neck",
    "swelling from my abscess is moving up towards my eye",
    "my jaw is swollen and the swelling is going into my neck",
    "infected tooth and now i can barely swallow",
    "my gum is swollen and its hard to swallow",
]

CRISIS = ["i want to kill myself", "i've been thinking about suicide"]


@pytest.mark.parametrize("message", CALL_999)
def test_life_threatening_signs_send_the_visitor_to_999(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.outcome == "emergency"
    assert result.decisions[0].check == "emergency"
    assert result.decisions[0].decision == "alert"
    assert result.alert_staff and result.handoff
    assert result.reply.startswith("Please call 999 now")
    assert "020 7946 0018" in result.reply
    assert "alerted the clinic team" in result.reply


@pytest.mark.parametrize("message", CALL_111)
def test_urgent_signs_send_the_visitor_to_nhs_111_or_a_and_e(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.outcome == "emergency", result.decisions
    assert result.alert_staff and result.handoff
    assert "NHS 111" in result.reply and "A&E" in result.reply and "999" in result.reply
    assert "alerted the clinic team" in result.reply


@pytest.mark.parametrize("message", CRISIS)
def test_a_visitor_in_crisis_is_given_999_and_samaritans(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.outcome == "emergency"
    assert "999" in result.reply and "116 123" in result.reply
    assert result.alert_staff


NOT_EMERGENCIES = [
    "how much is lip filler",
    "does teeth whitening hurt",
    "I'd like to fix a white spot on my tooth",
    "swelling after filler — how long does it usually last?",
    "my lips are a bit swollen after filler, is that normal?",
    "is it normal to have some swelling after filler",
    "can filler cause blindness?",
    "what are the risks of filler",
    "what are the signs of vascular occlusion",
    "do you have emergency appointments",
    "do you do emergency dental appointments on saturdays",
    "how long does whitening take",
    "my teeth went whiter after whitening",
    "I want whiter teeth",
    "is it painful? I have a severe fear of needles",
    "my lips are pale will filler help",
    "my under eye is dark would filler help",
    "what can you do for severe toothache",
    "I hurt myself and chipped my tooth",
    "my lip is numb after filler",
    "my gums bleed when i brush",
    "the leading clinic in Manchester",
    "is there a risk of bleeding after an extraction?",
    "could botox cause breathing problems",
    "book me in for a hygienist appointment",
    "can I have a fitting for my aligners",
    "does it hurt?",
    "is the anaesthetic painful",
    "i have really bad toothache",
    "can i come in today i'm in so much pain",
    "my crown fell off",
    "i chipped my tooth and it's really painful",
    "my eyelid is drooping after botox",
    "do you have any offers on filler",
    "i have a sore throat and a blocked nose",
    "can i have hot drinks after filler, my lips are a bit red and sore",
    "is it normal for my lips to be red after filler",
    "can i spread the cost of filler",
    "can infection spread after filler?",
    "what are the signs of infection after filler",
    "i want red lips with filler",
    # an emergency appointment is a thing to book or price, not a symptom
    "how much is an emergency appointment",
    "what does an emergency dentist appointment cost",
    "is an emergency consultation expensive",
    "do you have emergency appointments this weekend",
    "i need an emergency dental appointment",
    "what is your policy on emergency appointments",
    "what time is your emergency dentist open until",
    # colour words that are not a blocked vessel
    "do you do blue light whitening",
    "i want fuller pinker lips, mine are quite pale",
    "can filler make your lips go white?",
    "does lip filler leave you bruised and purple for long",
    "my teeth look grey, can whitening help",
    "can i get whitening after my lip filler",
    "I have white spots on my teeth after my braces came off",
    "can I book filler for my dark circles under my eyes",
    "can i have a white filling instead of a silver one",
    "i knocked my tooth years ago and it's gone grey, can whitening fix it",
    # vision, teeth and swallowing that are not urgent
    "what is the vision of the clinic",
    "do you see patients who are blind or partially sighted",
    "my eyesight is poor so I'd like a large print form",
    "my son's wobbly tooth came out today",
    "my crown came off when i bit into an apple",
    "my filling fell out",
    "can you replace a tooth i lost playing rugby years ago",
    "i have a sore throat, can i still come for my check up",
    "the swelling went down after a day",
]


@pytest.mark.parametrize("message", NOT_EMERGENCIES)
def test_ordinary_questions_are_not_emergencies(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.decisions[0].decision == "pass", result.decisions[0]
    assert result.outcome != "emergency"
    assert not result.alert_staff and not result.handoff


def test_the_reply_never_sells_or_offers_a_booking() -> None:
    result = check_inbound("my lip went white and hurts after filler yesterday", facts=FACTS)

    assert result.quick_replies == []
    for word in ("book", "price", "£", "offer", "appointment"):
        assert word not in result.reply.lower()


def test_without_an_urgent_line_the_reply_does_not_invent_one() -> None:
    result = check_inbound("I can't breathe", facts=ClinicFacts("Alpha Dental"))

    assert "urgent line" not in result.reply
    assert result.reply.startswith("Please call 999 now")


def test_the_staff_detail_names_the_sign_not_the_visitors_words() -> None:
    result = check_inbound("my lip went white and hurts after filler yesterday", facts=FACTS)

    detail = result.decisions[0].detail
    assert "skin colour change after filler" in detail
    assert "yesterday" not in detail


# "Can't see" is a change in vision only with the eyes or an injection in the message.
VISION_CHANGES = [
    "my vision is blurry after filler",
    "can't see properly after my lip filler",
    "I can't see clearly out of my left eye",
    "since the injection i cant see properly",
    "cant see anything after my tear trough filler",
    "everything is blurry since my filler yesterday",
    "i cant see properly and my eye is swollen",
    "I suddenly can't see straight, had filler this morning",
    "seeing double after my filler",
]


@pytest.mark.parametrize("message", VISION_CHANGES)
def test_a_change_in_vision_after_an_injection_is_urgent(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.outcome == "emergency", result.decisions[0]
    assert "change in vision" in result.decisions[0].detail


NOT_VISION = [
    "I'm really unhappy with my whitening, paid £395 and honestly cant see any difference. "
    "I want a refund",
    "can't see anything different after my whitening",
    "can't see anything different after my lip filler, want a top up",
    "I can't see any results from my botox",
    "cant see any change tbh",
    "i cant see properly on my phone, what are the prices",
    "I can't see the booking page clearly",
    "cant see well on this tiny screen",
    "cant see a thing on your website",
    "things are a bit fuzzy about my booking, can you confirm the time",
    "sorry I lost sight of the time",
    "i lost sight of your email",
]


@pytest.mark.parametrize("message", NOT_VISION)
def test_not_seeing_a_difference_or_a_web_page_is_not_an_emergency(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.decisions[0].decision == "pass", result.decisions[0]
    assert not result.alert_staff
