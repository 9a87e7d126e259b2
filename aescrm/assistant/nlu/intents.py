"""What a visitor's message is asking for: weighted phrase patterns per intent.

Each intent has regular expressions over the normalised message (see
``text.normalise``: lower case, contractions expanded, misspellings mapped),
each with a weight 0..1 saying how sure a match makes us. An intent's score
combines its matches as independent evidence (1 - Π(1 - w)); a negative weight
damps the score instead ("not happy with my smile" is not a complaint).
Misspelt words are first corrected against the words the patterns use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import PATTERNS
from .questions import is_follow_up
from .synonyms import TREATMENT_WORDS
from .text import closest, normalise, word_set

# An intent fires when its score reaches FIRES, and is clear at CLEAR.
FIRES = 0.5
CLEAR = 0.8

# When several intents fire, safety comes first, in this order, whatever the
# scores: a message mentioning a swollen throat is an emergency even if it also
# asks the price; a medical question must reach a clinician rather than be
# answered from the price list; an unhappy patient is handled as a complaint
# before anything they also ask for; and an explicit request for a person is
# honoured before the bot tries to book. Only a symptom merely mentioned (medical
# below CLEAR) gives way to a clear request to book. Below these, the first clear intent
# (score >= CLEAR) in this order wins (booking before pricing: "can I book, how
# much is it" is someone ready to book; pricing before treatment_info: "what is
# the price of X"); failing that, the best score among those that fired.
PRECEDENCE = (
    "emergency",
    "medical",
    "complaint",
    "human",
    "booking",
    "pricing",
    "finance",
    "treatment_info",
    "opening_hours",
    "location",
    "small_talk",
    "out_of_scope",
)
_SAFETY = frozenset({"emergency", "medical", "complaint", "human"})
# Below this a message names no topic of its own: a bare day (booking 0.5) or name.
_OWN_TOPIC = 0.6
# Topics a short follow-up may continue ("what about Sunday?" after the opening hours).
_FOLLOWABLE = frozenset(
    {"booking", "pricing", "finance", "treatment_info", "opening_hours", "location"}
)


_COMPILED: dict[str, list[tuple[re.Pattern[str], float]]] = {
    intent: [(re.compile(p), w) for p, w in patterns] for intent, patterns in PATTERNS.items()
}

# Words the patterns look for; a misspelt word close to one is read as it.
_VOCABULARY = sorted(
    {
        word
        for patterns in PATTERNS.values()
        for pattern, _ in patterns
        for word in re.findall(r"[a-z][a-z-]{4,}", pattern)
    }
    | TREATMENT_WORDS
)
# Real words close to a pattern word that must not be "corrected" into it.
_KEEP = word_set("""
    spelling selling telling smelling dwelling welling booked looked cooked hooked closer closet
    clothes opened opener shutter parked parks parker marking barking carer cares caring careful
    carry final financial finally priced prince prices costa coast posted poster hosted chaser
    change changes changed charged chart hurting hunting hurried breathed breaths breathing
    wondering wandering numbers number lumpy lumps bumpy dumpy thump plump plumper cheeky cheeks
    checks checked chicken kitchen service services serving served treated treating treats
    promised promising
    """)


@dataclass(frozen=True)
class IntentGuess:
    intent: str  # one of aescrm.assistant.engines.base.INTENTS
    confidence: float  # 0..1
    alternatives: list[tuple[str, float]]


def _corrected(text: str) -> str:
    words = normalise(text).split()
    vocabulary = set(_VOCABULARY)
    out = []
    for word in words:
        if word in vocabulary or word in _KEEP or word.isdigit():
            out.append(word)
            continue
        near = closest(word, _VOCABULARY, cutoff=85.0)
        out.append(near[0] if near else word)
    return " ".join(out)


def scores(text: str) -> dict[str, float]:
    """Each intent's score for ``text`` (0..1); intents with no matching pattern are left out."""
    corrected = _corrected(text)
    result: dict[str, float] = {}
    for intent, patterns in _COMPILED.items():
        missing = 1.0
        damp = 1.0
        for pattern, weight in patterns:
            if pattern.search(corrected):
                if weight >= 0:
                    missing *= 1.0 - weight
                else:
                    damp *= 1.0 + weight
        score = (1.0 - missing) * damp
        if score > 0:
            result[intent] = round(score, 3)
    return result


def classify(text: str, previous: str | None = None) -> IntentGuess:
    """The intent of one visitor message, how sure we are, and the runners-up.

    ``previous`` is the intent of the visitor's last message, when the caller knows
    it: a short follow-up that settles no topic of its own ("what about Sunday?",
    "and for cheek filler?") continues that one. Safety intents are never overridden.
    """
    guess = _classify(text)
    if (
        previous in _FOLLOWABLE
        and guess.intent != previous
        and guess.intent not in _SAFETY
        and guess.intent != "small_talk"
        and guess.confidence < _OWN_TOPIC
        and (is_follow_up(text) or len(normalise(text).split()) <= 3)
    ):
        rest = [(guess.intent, guess.confidence), *guess.alternatives]
        alternatives = [(i, s) for i, s in rest if i != previous][:3]
        return IntentGuess(intent=str(previous), confidence=0.6, alternatives=alternatives)
    return guess


def _classify(text: str) -> IntentGuess:
    found = scores(text)
    fired = [i for i in PRECEDENCE if found.get(i, 0.0) >= FIRES]
    safety = [i for i in fired if i in _SAFETY]
    if safety == ["medical"] and found["medical"] < CLEAR and found.get("booking", 0.0) >= CLEAR:
        # A symptom mentioned in passing while clearly asking to book ("new patient exam
        # asap please, tooth has been a bit sensitive"): the booking is how it reaches a
        # clinician. A medical question (score >= CLEAR) still comes first.
        safety = []
    clear = [i for i in fired if found[i] >= CLEAR]
    if safety:
        intent = safety[0]
    elif clear:
        intent = clear[0]
    elif fired:
        intent = max(fired, key=lambda i: (found[i], -PRECEDENCE.index(i)))
    elif set(normalise(text).split()) & TREATMENT_WORDS:
        # A bare treatment name ("invisalign?") is a question about it.
        found.setdefault("treatment_info", 0.5)
        intent = "treatment_info"
    else:
        intent = "out_of_scope"
        found.setdefault("out_of_scope", 0.2)
    confidence = found[intent]
    alternatives = sorted(
        ((i, s) for i, s in found.items() if i != intent),
        key=lambda item: (-item[1], PRECEDENCE.index(item[0])),
    )[:3]
    return IntentGuess(intent=intent, confidence=confidence, alternatives=alternatives)
