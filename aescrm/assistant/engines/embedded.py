"""The embedded engine: intent, retrieval and a booking dialogue, with no model and no network.

It answers only from the clinic's knowledge (``tools.search_knowledge``) and
books only through ``tools``. The conversation's memory lives in
``turn.state`` (encrypted with the session):

- ``details``  what the visitor has told us (``VisitorDetails`` as a dict)
- ``asking``   the question we are waiting on: treatment, adult, time, slot,
               name, contact, consent — or "" when none
- ``offers``   the slots last offered; ``goal`` "book" or "callback"
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from typing import Any

from aescrm.assistant import guardrails, nlu
from aescrm.assistant.engines.base import (
    EngineReply,
    KnowledgeDoc,
    KnowledgeHit,
    SlotOffer,
    Tools,
    TurnInput,
    VisitorDetails,
)
from aescrm.assistant.tools import BookingRefused, SlotTaken
from aescrm.assistant.wording import money, possessive

VERSION = "1.0"
SEARCH_DAYS = 14
EXACT_WISH = dt.timedelta(hours=1)  # "at 1pm": a time, not a part of the day
CONSENT_QUESTION = (
    "Would you like {clinic} to send you news and offers? Choose SMS, email, both or no thanks"
    " — you can stop them at any time."
)
CONSENT_REPLIES = ["SMS", "Email", "Both", "No thanks"]
MENU = ["Prices", "Book an appointment", "Opening hours", "Speak to a person"]
# Knowledge kinds that answer an intent before any other item does.
KIND_FOR_INTENT = {
    "opening_hours": ("hours",),
    "location": ("location",),
    "finance": ("finance",),
}
DONT_KNOW = (
    "I'm sorry, I don't have that information. I can ask the team to get back to you, or you"
    " can ask me about treatments, prices, opening hours or booking."
)


class _Turn:
    """One reply being put together."""

    def __init__(self, turn: TurnInput, tools: Tools) -> None:
        self.turn = turn
        self.tools = tools
        self.state = turn.state
        self.parts: list[str] = []
        self.quick: list[str] = []
        self.used: list[KnowledgeDoc] = []
        self.intent = ""
        self.handoff = False
        self.details = VisitorDetails(**self.state.get("details", {}))

    def say(self, text: str) -> None:
        self.parts.append(text)

    def save(self) -> None:
        self.state["details"] = asdict(self.details)

    def ask(self, what: str) -> None:
        self.state["asking"] = what

    @property
    def asking(self) -> str:
        return str(self.state.get("asking") or "")


class EmbeddedEngine:
    name = "embedded"
    version = VERSION

    def reply(self, turn: TurnInput, tools: Tools) -> EngineReply:
        t = _Turn(turn, tools)
        text = turn.message
        guess = nlu.classify(text, previous=str(t.state.get("last_intent") or "") or None)
        t.intent = guess.intent
        t.state["last_intent"] = guess.intent
        # Details the visitor volunteers are taken whatever we asked ("I'm Jane, 07911 123456").
        if t.state.get("under_18"):
            t.details.adult = False  # said they are under 18: the tools refuse what they must
        _take_volunteered(t, text)
        _switch_treatment(t, text)
        if not t.asking:
            # The treatment a question is about is the topic a "book it" will mean.
            topic = nlu.find_treatment(text, tools.knowledge())
            if topic is not None:
                t.state["treatment_hint"] = topic.treatment_id
        if t.asking and _answer_pending(t, text, guess):
            pass
        else:
            _answer_intent(t, text, guess)
        if t.state.get("goal") and not t.asking:
            _next_step(t)
        _refuse_restricted_for_minor(t, text)
        if not t.state.get("refused_for_age"):
            _children_policy(t, text)
        t.save()
        return EngineReply(
            text=" ".join(p for p in t.parts if p).strip() or DONT_KNOW,
            intent=t.intent,
            engine=self.name,
            version=self.version,
            quick_replies=t.quick[:6],
            knowledge=t.used,
            handoff=t.handoff,
            allowed_prices={d.price_pence for d in t.used if d.price_pence is not None},
            notes={"confidence": round(guess.confidence, 2)},
        )


# ---- understanding what the visitor gave us -----------------------------------


def _take_volunteered(t: _Turn, text: str) -> None:
    d = t.details
    email = nlu.extract_email(text)
    phone = nlu.extract_phone(text)
    if email and not d.email:
        d.email = email
    if phone and not d.phone:
        d.phone = phone
    if d.adult is None and not t.state.get("under_18"):
        # "Anti-wrinkle consultation please, I'm 45": no need to ask whether they are 18.
        age = nlu.own_age(text)
        if age is not None and age >= 18:
            d.adult = True
    if not d.first_name and t.asking not in ("name",):
        name = nlu.extract_name(text)
        if name:
            d.first_name, d.last_name = name


def _switch_treatment(t: _Turn, text: str) -> None:
    """ "Actually, can I do composite bonding instead?" mid-booking changes the treatment."""
    if t.state.get("goal") != "book" or not t.details.treatment_id:
        return
    if t.asking in ("name", "contact", "consent"):
        return  # a name or an answer, not a change of mind
    doc = nlu.find_treatment(text, t.tools.knowledge())
    if doc is not None and doc.treatment_id != t.details.treatment_id:
        _choose_treatment(t, doc)
        t.details.adult = None if _restricted(doc) else t.details.adult
        t.ask("")


def _refuse_restricted_for_minor(t: _Turn, text: str) -> None:
    """Under 18 and a restricted treatment in play: the refusal replaces whatever was said."""
    if not t.state.get("under_18"):
        return
    hint = str(t.state.get("treatment_hint") or t.details.treatment_id or "")
    docs = [d for d in t.used if d.kind == "treatment"]
    hinted = _doc_by_treatment(t, hint) if hint else None
    named = nlu.find_treatment(text, t.tools.knowledge())
    restricted = next((d for d in [named, *docs, hinted] if _restricted(d)), None)
    if restricted is None and t.state.get("refused_for_age"):
        restricted = _doc_by_treatment(t, str(t.state["refused_for_age"]))
        if restricted is not None and not _now_claims_adult(t, text):
            restricted = None
    if restricted is not None:
        t.state["refused_for_age"] = restricted.treatment_id
        refusal = guardrails.under_18_refusal(restricted.title, restricted.category)
        if _now_claims_adult(t, text):
            refusal = (
                "You told me earlier that the treatment is for someone under 18, so I can't"
                " book it here. If that was a mistake, the clinic team can help. " + refusal
            )
    elif guardrails.restricted_under_18(text):
        # The message itself names toxin, filler or whitening, in words the catalogue lacks.
        refusal = guardrails.under_18_refusal("these treatments")
    else:
        return
    t.parts = [refusal]
    t.quick = ["Other treatments", "Speak to a person"]
    t.state["goal"] = ""
    t.ask("")
    t.state.pop("offers", None)
    t.state.pop("chosen", None)
    t.state["treatment_hint"] = ""
    t.details.treatment_id = ""


def _now_claims_adult(t: _Turn, text: str) -> bool:
    age = nlu.extract_age(text)
    return age is not None and age >= 18


def _children_policy(t: _Turn, text: str) -> None:
    """A child for a treatment children may have: the clinic's own words about children."""
    if not t.state.get("under_18") or any(d.kind != "treatment" for d in t.used):
        return
    hits = [
        h
        for h in t.tools.search_knowledge("children under 18 parent guardian", 3)
        if h.doc.kind != "treatment" and h.score >= 60
    ]
    if not hits or t.state.get("children_policy_said"):
        return
    # Only what matters for bringing a child: who must come with them.
    sentences = re.split(r"(?<=[.!?])\s+", hits[0].doc.answer)
    wanted = [x for x in sentences if re.search(r"parent|guardian|accompan", x, re.I)]
    if wanted:
        t.state["children_policy_said"] = True
        t.used.append(hits[0].doc)
        t.say(" ".join(wanted))


def _answer_pending(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    """Fill the slot we asked for; False when the message was about something else."""
    handler = _PENDING.get(t.asking)
    return bool(handler and handler(t, text, guess))


def _pending_treatment(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    doc = nlu.find_treatment(text, t.tools.knowledge())
    if doc is None:
        return False
    _choose_treatment(t, doc)
    t.ask("")
    return True


def _pending_adult(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    age = nlu.extract_age(text)
    answer = nlu.yes_no(text) if age is None else age >= 18
    if answer is None:
        return False
    t.details.adult = answer
    t.ask("")
    if not answer:
        t.state["under_18"] = True
    return True


def _pending_time(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    wish = nlu.parse_time_wish(text, now=t.turn.now, tz=t.tools.timezone)
    if wish is None:
        if guess.intent not in ("booking", "small_talk") and guess.confidence >= 0.5:
            return False
        wish = _any_time(t)
    t.details.preferred_time = wish.label
    t.ask("")
    _offer(t, wish.start, wish.end, wish.label)
    return True


def _pending_slot(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    offers = [_offer_from(o) for o in t.state.get("offers", [])]
    chosen = nlu.choose_slot(text, offers)
    if chosen is not None:
        t.state["chosen"] = _offer_to(chosen)
        t.details.preferred_time = chosen.label
        t.ask("")
        return True
    wish = nlu.parse_time_wish(text, now=t.turn.now, tz=t.tools.timezone)
    if wish is not None:
        t.details.preferred_time = wish.label
        t.ask("")
        _offer(t, wish.start, wish.end, wish.label)
        return True
    if _other_times(text):
        t.ask("time")
        t.say("No problem. Which day or time of day would suit you better?")
        t.quick = ["Tomorrow", "Next week", "A morning", "An afternoon"]
        return True
    return False


def _pending_name(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    name = nlu.extract_name(text, expecting=True)
    if name is None:
        return False
    t.details.first_name, t.details.last_name = name
    t.ask("")
    return True


def _pending_contact(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    if t.details.phone or t.details.email:
        t.ask("")
        return True
    if any(ch.isdigit() for ch in text) or "@" in text:
        t.say(
            "Sorry, that doesn't look like a UK phone number or an email address."
            " Could you check it and send it again?"
        )
        return True
    return False


def _pending_consent(t: _Turn, text: str, guess: nlu.IntentGuess) -> bool:
    channels = nlu.consent_channels(text)
    if channels is None:
        answer = nlu.yes_no(text)
        if answer is None:
            return False
        # "Yes" to the channels we can reach them on; "no" to all.
        channels = {
            "sms": answer and bool(t.details.phone),
            "email": answer and bool(t.details.email),
        }
    t.details.consent = {"sms": bool(channels.get("sms")), "email": bool(channels.get("email"))}
    if "phone" in channels:  # "phone calls are fine": said unprompted, recorded as said
        t.details.consent["phone"] = bool(channels["phone"])
    t.details.consent_wording = CONSENT_QUESTION.format(clinic=t.tools.clinic_name)
    t.state["consent_asked"] = True
    t.ask("")
    return True


_PENDING = {
    "treatment": _pending_treatment,
    "adult": _pending_adult,
    "time": _pending_time,
    "slot": _pending_slot,
    "name": _pending_name,
    "contact": _pending_contact,
    "consent": _pending_consent,
}


def _other_times(text: str) -> bool:
    words = nlu.normalise(text)
    return any(
        p in words
        for p in ("other time", "another time", "none of", "different", "later", "other day")
    )


# ---- answering questions --------------------------------------------------------


ANSWERABLE_TOGETHER = ("pricing", "opening_hours", "location", "finance", "treatment_info")


def _answer_intent(t: _Turn, text: str, guess: nlu.IntentGuess) -> None:
    parts = nlu.split_questions(text)
    if len(parts) > 1 and not t.asking:
        guesses = [nlu.classify(part) for part in parts]
        questions = [(p, g) for p, g in zip(parts, guesses, strict=True) if g.intent != "booking"]
        bookings = [(p, g) for p, g in zip(parts, guesses, strict=True) if g.intent == "booking"]
        if all(g.intent in ANSWERABLE_TOGETHER for _, g in questions) and len(bookings) <= 1:
            # "How much is a hygienist and are you open on Saturday?": answer each, and
            # start the booking last if they asked for one too.
            for part, each in questions + bookings:
                _answer_one(t, part, each)
            return
    _answer_one(t, text, guess)


def _prescription_enquiry(t: _Turn, text: str, intent: str) -> bool:
    """A weight-loss jab, filler dissolving, or toxin the clinic lacks: no names, no prices,
    a prescriber (or the visitor's GP) — whatever the catalogue happens to match."""
    kind = guardrails.prescription_medicine_enquiry(text)
    if kind is None:
        return False
    docs = t.tools.knowledge()
    if kind == guardrails.ANTI_WRINKLE:
        offered = any(d.kind == "treatment" and d.prescription_medicine for d in docs)
        if offered and intent in ("pricing", "booking"):
            return False  # the catalogue's own anti-wrinkle consultation answers it
        if offered and intent not in ("treatment_info", "out_of_scope"):
            return False
    else:
        offered = nlu.unlisted_procedure(text, docs) is None
    t.say(guardrails.prescription_medicine_reply(kind, offered=offered))
    t.quick = ["Book a consultation", "Speak to a person"] if offered else ["Speak to a person"]
    t.intent = "treatment_info"
    return True


def _answer_one(t: _Turn, text: str, guess: nlu.IntentGuess) -> None:
    if guess.intent not in ("emergency", "medical") and _prescription_enquiry(
        t, text, guess.intent
    ):
        return
    intent = guess.intent
    if intent == "booking":
        _start_booking(t, text)
    elif intent == "pricing":
        _answer_price(t, text)
    elif intent == "complaint":
        hits = [h for h in t.tools.search_knowledge(text, 2) if h.doc.kind != "treatment"]
        policy = next(
            (d for d in t.tools.knowledge() if "complain" in f"{d.title} {d.keywords}".lower()),
            None,
        )
        if hits and hits[0].score >= 60:
            _use(t, hits[0].doc)
        elif policy is not None:
            _use(t, policy)  # any complaint: how the clinic handles them
        _hand_over(t, intent)
    elif intent == "human":
        _hand_over(t, intent)
    elif intent == "emergency":
        # The guardrails decide emergencies and did not see one: urgent-sounding, not
        # life-threatening ("my wisdom tooth aches"). No 999; the urgent routes and a visit.
        urgent = (
            f" or the clinic's urgent line on {t.tools.urgent_phone}"
            if t.tools.urgent_phone
            else ""
        )
        t.say(guardrails.medical_reply(_facts(t)))
        t.say(f"If it feels urgent, call NHS 111{urgent}.")
        t.quick = ["Book a consultation", "Speak to a person"]
    elif intent == "medical":
        t.say(guardrails.medical_reply(_facts(t)))
        t.quick = ["Book a consultation", "Speak to a person"]
    elif intent == "small_talk":
        _small_talk(t, text)
    elif intent == "out_of_scope":
        hits = t.tools.search_knowledge(text, 1)
        if hits and hits[0].score >= 80:
            _use(t, hits[0].doc)
        else:
            t.say(
                "I can only help with questions about "
                f"{t.tools.clinic_name}: treatments, prices, opening hours, finance and booking."
            )
            t.quick = list(MENU)
    else:
        _answer_from_knowledge(t, text, intent)
    if t.asking and not t.handoff:
        _repeat_question(t)


def _names_something(t: _Turn, text: str) -> bool:
    return bool(t.tools.search_knowledge(text, 1))


def _duration_follow_up(t: _Turn, text: str) -> bool:
    """ "How long does it take?" about the treatment just discussed."""
    words = nlu.normalise(text)
    doc = _hinted(t)
    if doc is None or doc.duration_minutes is None or "how long" not in words:
        return False
    if nlu.find_treatment(text, t.tools.knowledge()) not in (None, doc):
        return False
    t.used.append(doc)
    t.say(f"{doc.title} takes about {doc.duration_minutes} minutes.")
    t.quick = [f"Book {_short(doc, t.tools.knowledge())}", "Prices", "Speak to a person"]
    return True


def _list_treatments(t: _Turn, text: str) -> bool:
    """ "What treatments do you offer?": the catalogue's names."""
    words = nlu.normalise(text)
    if not any(
        w in words
        for w in (
            "what treatments",
            "which treatments",
            "what do you offer",
            "what do you do",
            "treatments do you",
            "services",
        )
    ):
        return False
    treatments = [d for d in t.tools.knowledge() if d.kind == "treatment"]
    if not treatments:
        return False
    t.say(
        "We offer " + ", ".join(d.title for d in treatments[:-1]) + f" and {treatments[-1].title}."
        if len(treatments) > 1
        else f"We offer {treatments[0].title}."
    )
    t.say("Would you like to know more about any of them, or their prices?")
    t.quick = ["Prices", "Book an appointment"]
    return True


def _answer_from_knowledge(t: _Turn, text: str, intent: str) -> None:
    if _duration_follow_up(t, text) or _list_treatments(t, text):
        return
    kinds = KIND_FOR_INTENT.get(intent)
    hits = t.tools.search_knowledge(text, 3)
    if kinds:
        preferred = [h for h in hits if h.doc.kind in kinds] or [
            nlu_hit for nlu_hit in _by_kind(t, kinds, text)
        ]
        hits = preferred or hits
    if not hits:
        t.say(DONT_KNOW)
        t.quick = ["Speak to a person", "Book an appointment"]
        return
    doc = hits[0].doc
    _use(t, doc)
    if doc.kind == "treatment" and doc.treatment_id:
        t.state["treatment_hint"] = doc.treatment_id
        t.quick = [f"Book {_short(doc, t.tools.knowledge())}", "Prices", "Speak to a person"]


# When nothing ranks, the item a general question of that kind most likely means.
GENERAL_TITLES = re.compile(
    r"where|address|find us|directions|location|opening|hours|finance", re.I
)
CONTACT_WORDS = re.compile(r"\b(e-?mail|phone|number|call|ring|contact|whatsapp)\b", re.I)
CONTACT_TITLES = re.compile(r"contact|phone|e-?mail", re.I)


def _by_kind(t: _Turn, kinds: tuple[str, ...], text: str = "") -> list[Any]:
    docs = [doc for doc in t.tools.knowledge() if doc.kind in kinds]
    wanted = CONTACT_TITLES if CONTACT_WORDS.search(text) else GENERAL_TITLES
    docs.sort(key=lambda doc: 0 if wanted.search(doc.title) else 1)
    return [KnowledgeHit(doc, 60.0) for doc in docs[:1]]


def _use(t: _Turn, doc: KnowledgeDoc) -> None:
    t.used.append(doc)
    t.say(doc.answer)


def _short(doc: KnowledgeDoc, docs: list[KnowledgeDoc] | None = None) -> str:
    """ "Lip filler" for "Lip filler (1ml)", unless another treatment shortens the same way."""
    short = doc.title.split("(")[0].strip()
    if docs is not None:
        same = [d for d in docs if d.kind == "treatment" and d.title.split("(")[0].strip() == short]
        if len(same) > 1:
            return doc.title
    return short


def _hinted(t: _Turn) -> KnowledgeDoc | None:
    hint = str(t.state.get("treatment_hint") or "")
    return _doc_by_treatment(t, hint) if hint else None


def _treatments_named(t: _Turn, text: str) -> list[KnowledgeDoc]:
    """Every treatment a message names ("lip and cheek filler"), best first."""
    treatments = [d for d in t.tools.knowledge() if d.kind == "treatment"]
    hits = nlu.rank(text, treatments, limit=3)
    if not hits:
        return []
    best = hits[0].score
    return [h.doc for h in hits if h.score >= max(best - 10, 55)]


def _answer_price(t: _Turn, text: str) -> None:
    docs = t.tools.knowledge()
    doc = nlu.find_treatment(text, docs)
    named = _treatments_named(t, text)
    top = t.tools.search_knowledge(text, 1)
    if doc is None and top and top[0].doc.kind not in ("treatment",) and len(named) != 1:
        # "How much is a consultation?": the clinic's fee item, not every consultation treatment.
        _use(t, top[0].doc)
        return
    if len(named) > 1 and (doc is None or doc in named):
        for each in named:
            if each.price_pence is not None:
                t.used.append(each)
                t.say(f"{each.title} costs {money(each.price_pence)}.")
        t.say("Would you like to book one of them?")
        t.quick = [f"Book {_short(d, t.tools.knowledge())}" for d in named] + ["Speak to a person"]
        return
    if doc is None and not _names_something(t, text):
        doc = _hinted(t)
    if doc is None:
        hits = [h for h in t.tools.search_knowledge(text, 3)]
        if hits and hits[0].doc.kind != "treatment":
            _use(t, hits[0].doc)
            return
        doc = hits[0].doc if hits else None
    if doc is None or doc.price_pence is None:
        priced = [d for d in docs if d.kind == "treatment" and d.price_pence is not None][:4]
        if not priced:
            t.say(DONT_KNOW)
            return
        t.say("Which treatment would you like a price for?")
        t.quick = [_short(d, docs) for d in priced]
        return
    t.used.append(doc)
    t.state["treatment_hint"] = doc.treatment_id
    t.say(
        f"{doc.title} costs {money(doc.price_pence)}"
        + (f" and takes about {doc.duration_minutes} minutes." if doc.duration_minutes else ".")
    )
    if doc.prescription_medicine:
        t.say(
            "It is a prescription-only medicine, so it starts with a consultation with one of"
            " our prescribers."
        )
    t.say("Would you like to book?")
    t.quick = [f"Book {_short(doc, t.tools.knowledge())}", "Other prices", "Speak to a person"]


def _small_talk(t: _Turn, text: str) -> None:
    words = nlu.normalise(text)
    if any(w in words for w in ("thank", "cheers", "ta ")):
        t.say("You're welcome. Is there anything else I can help with?")
    elif any(w in words for w in ("bot", "robot", "human", "real", "who are you", "ai")):
        t.say(
            f"I'm {possessive(t.tools.clinic_name)} automated assistant, not a person. I can answer"
            " questions about treatments, prices and opening hours, and book appointments."
            " I can also pass you to the team."
        )
    elif any(w in words for w in ("bye", "goodbye")):
        t.say("Thank you for chatting. Goodbye!")
    else:
        t.say(
            "Hello! How can I help you today? I can tell you about treatments and prices at"
            f" {t.tools.clinic_name}, or book you in."
        )
    t.quick = list(MENU)


def _hand_over(t: _Turn, intent: str) -> None:
    reason = (
        "the visitor has a complaint" if intent == "complaint" else "the visitor asked for a person"
    )
    t.tools.hand_over(reason)
    t.handoff = True
    if intent == "complaint":
        t.parts.insert(0, "I'm sorry to hear that.")
        t.say("I've passed this to the clinic team so that someone can look into it properly.")
    else:
        t.say("Of course. I've asked the team to pick this up.")
    if t.details.phone or t.details.email:
        t.say("They'll reply here if they're free now, or contact you soon.")
        t.state["goal"] = "callback"
        return
    t.say(
        "They'll reply here if they're free now. If you leave your name and phone number or"
        " email, they can also get back to you."
    )
    t.state["goal"] = "callback"
    t.ask("name" if not t.details.first_name else "contact")


def _repeat_question(t: _Turn) -> None:
    question = _question(t, t.asking)
    if question:
        t.say(question)


# ---- the booking dialogue -------------------------------------------------------


def _start_booking(t: _Turn, text: str) -> None:
    t.state["goal"] = "book"
    doc = nlu.find_treatment(text, t.tools.knowledge())
    if doc is None and t.state.get("treatment_hint"):
        doc = _doc_by_treatment(t, str(t.state["treatment_hint"]))
    if doc is not None:
        _choose_treatment(t, doc)
        if doc.prescription_medicine:
            t.say(
                f"I can book a consultation for {doc.title}. It is a prescription-only medicine,"
                " so a prescriber will check it is right for you first."
            )
        elif not (t.state.get("under_18") and _restricted(doc)):
            t.say(f"I can book {doc.title} for you.")
    wish = nlu.parse_time_wish(text, now=t.turn.now, tz=t.tools.timezone)
    if wish is not None:
        t.details.preferred_time = wish.label
        t.state["wish"] = [wish.start.isoformat(), wish.end.isoformat(), wish.label]


def _doc_by_treatment(t: _Turn, treatment_id: str) -> KnowledgeDoc | None:
    return next(
        (
            d
            for d in t.tools.knowledge()
            if d.kind == "treatment" and d.treatment_id == treatment_id
        ),
        None,
    )


def _choose_treatment(t: _Turn, doc: KnowledgeDoc) -> None:
    if doc.treatment_id != t.details.treatment_id:
        t.state.pop("offers", None)
        t.state.pop("chosen", None)
    t.details.treatment_id = doc.treatment_id or ""
    t.state["treatment_hint"] = doc.treatment_id
    if doc not in t.used:
        t.used.append(doc)


def _restricted(doc: KnowledgeDoc | None) -> bool:
    if doc is None:
        return False
    return guardrails.restricted_under_18(doc.title, doc.category, doc.prescription_medicine)


def _age_check(doc: KnowledgeDoc) -> bool:
    """Toxin and fillers: even arranging them for an under-18 is an offence, so ask first."""
    return guardrails.age_check_before_booking(doc.title, doc.category, doc.prescription_medicine)


def _next_step(t: _Turn) -> None:
    """Ask for the next missing detail, or act when nothing is missing."""
    d = t.details
    goal = t.state.get("goal")
    if goal == "callback":
        if not d.first_name:
            t.ask("name")
        elif not (d.phone or d.email):
            t.ask("contact")
        else:
            _finish_callback(t)
            return
        _repeat_question(t)
        return
    doc = _doc_by_treatment(t, d.treatment_id) if d.treatment_id else None
    if doc is None:
        t.ask("treatment")
    elif _restricted(doc) and (t.state.get("under_18") or d.adult is False):
        t.say(guardrails.under_18_refusal(doc.title, doc.category))
        t.state["goal"] = ""
        t.quick = ["Other treatments", "Speak to a person"]
        return
    elif _age_check(doc) and d.adult is not True:
        t.ask("adult")
    elif (
        not t.state.get("chosen") and t.tools.booking_mode == "book" and not t.state.get("no_slots")
    ):
        if t.state.get("offers"):
            t.ask("slot")
        elif t.state.get("wish"):
            start, end, label = t.state.pop("wish")
            _offer(t, dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)
            return
        else:
            t.ask("time")
    elif not t.state.get("chosen") and not d.preferred_time:
        t.ask("time")
    elif not d.first_name:
        t.ask("name")
    elif not (d.phone or d.email):
        t.ask("contact")
    elif not t.state.get("consent_asked"):
        t.ask("consent")
    else:
        _book(t, doc)
        return
    _repeat_question(t)


def _question(t: _Turn, what: str) -> str:
    d = t.details
    if what == "treatment":
        docs = [x for x in t.tools.knowledge() if x.kind == "treatment"][:4]
        t.quick = [_short(x, docs) for x in docs]
        return "Which treatment would you like to book?"
    if what == "adult":
        t.quick = ["Yes, I'm 18 or over", "No"]
        return "Before we go on: is the person having the treatment 18 or over?"
    if what == "time":
        t.quick = ["Tomorrow", "This week", "Next week", "Any time"]
        return "When would suit you? You can say a day, or morning, afternoon or evening."
    if what == "slot":
        offers = t.state.get("offers", [])
        t.quick = [o["label"] for o in offers] + ["Other times"]
        return "Which of these times would you like?"
    if what == "name":
        t.quick = []
        return "May I take your name?"
    if what == "contact":
        t.quick = []
        who = f"Thanks, {d.first_name}. " if d.first_name else ""
        return who + "What is the best mobile number or email address to reach you on?"
    if what == "consent":
        t.quick = list(CONSENT_REPLIES)
        return CONSENT_QUESTION.format(clinic=t.tools.clinic_name)
    return ""


def _any_time(t: _Turn) -> nlu.TimeWish:
    return nlu.TimeWish(
        start=t.turn.now,
        end=t.turn.now + dt.timedelta(days=SEARCH_DAYS),
        label="the next two weeks",
    )


def _offer(t: _Turn, start: dt.datetime, end: dt.datetime, label: str) -> None:
    d = t.details
    if not d.treatment_id:
        t.state["wish"] = [start.isoformat(), end.isoformat(), label]
        return
    if t.tools.booking_mode != "book":
        return  # a request: the preferred time is passed on to the team
    offers = t.tools.find_slots(d.treatment_id, start=start, end=end, limit=3)
    if not offers:
        wider = _any_time(t)
        offers = t.tools.find_slots(d.treatment_id, start=wider.start, end=wider.end, limit=3)
        if not offers:
            t.say(
                "I'm sorry, I can't see a free appointment in the next two weeks. I'll pass"
                " your request to the team, who will find you a time."
            )
            t.state["offers"] = []
            t.state["chosen"] = None
            t.state["no_slots"] = True
            d.preferred_time = label
            return
        t.say(f"I couldn't find a free time for {label}, but these are the next available:")
    elif offers[0].starts_at == start and end - start <= EXACT_WISH:
        # They asked for a time and it is free: take it rather than ask them to pick it again.
        t.state["offers"] = [_offer_to(offers[0])]
        t.state["chosen"] = _offer_to(offers[0])
        d.preferred_time = offers[0].label
        t.say(f"{offers[0].label} is free.")
        t.ask("")
        return
    else:
        t.say(f"Here are the next free times for {label}:")
    t.state["offers"] = [_offer_to(o) for o in offers]
    t.ask("slot")
    t.quick = [o.label for o in offers] + ["Other times"]
    t.say(", ".join(o.label for o in offers) + ".")


def _offer_to(offer: SlotOffer) -> dict[str, str]:
    return {
        "treatment_id": offer.treatment_id,
        "practitioner_id": offer.practitioner_id,
        "practitioner_name": offer.practitioner_name,
        "starts_at": offer.starts_at.isoformat(),
        "label": offer.label,
    }


def _offer_from(raw: dict[str, str]) -> SlotOffer:
    return SlotOffer(
        treatment_id=raw["treatment_id"],
        practitioner_id=raw["practitioner_id"],
        practitioner_name=raw["practitioner_name"],
        starts_at=dt.datetime.fromisoformat(raw["starts_at"]),
        label=raw["label"],
    )


def _book(t: _Turn, doc: KnowledgeDoc) -> None:
    chosen = t.state.get("chosen")
    slot = _offer_from(chosen) if chosen else None
    try:
        result = t.tools.book(t.details, slot)
    except SlotTaken:
        t.state["chosen"] = None
        t.state["offers"] = []
        t.say("I'm sorry, that time has just been taken.")
        _offer(t, t.turn.now, t.turn.now + dt.timedelta(days=SEARCH_DAYS), "the next two weeks")
        return
    except BookingRefused as exc:
        t.say(exc.detail)
        t.state["goal"] = ""
        t.quick = ["Speak to a person"]
        return
    t.state["goal"] = ""
    t.state["done"] = True
    t.intent = "booking"
    name = t.details.first_name
    if result.booked:
        with_whom = f" with {slot.practitioner_name}" if slot else ""
        t.say(
            f"Thank you, {name}. You're booked for {doc.title} on {result.when_label}{with_whom}."
            " The clinic will send you a confirmation. Is there anything else I can help with?"
        )
    else:
        t.say(
            f"Thank you, {name}. I've sent your request for {doc.title} ({result.when_label}) to"
            " the team, who will contact you to confirm a time."
        )
    t.quick = ["Opening hours", "Location and parking", "No, thank you"]


def _finish_callback(t: _Turn) -> None:
    message = (
        t.state.get("handover_reason") or "The visitor asked the website assistant for a call back."
    )
    t.tools.create_enquiry(t.details, str(message))
    t.state["goal"] = ""
    t.say(f"Thank you, {t.details.first_name}. The team will be in touch soon.")


def _facts(t: _Turn) -> guardrails.ClinicFacts:
    return guardrails.ClinicFacts(
        clinic_name=t.tools.clinic_name, urgent_phone=t.tools.urgent_phone
    )
