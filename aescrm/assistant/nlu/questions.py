"""One message, several questions: "what time are you open till on Thursdays and is there parking".

``split_questions`` cuts a message where a new question starts, conservatively: at a
question mark or full stop, and at "and" / "also" / "plus" / "oh and" when what follows
opens a question ("and is there", "also do you", "and how much"). "Lip and cheek
filler" and "Saturday and Sunday" stay whole. The dialogue can answer each part.

``is_follow_up`` says whether a short message leans on the previous one ("what about
Sunday?", "and parking?", "how about cheek filler"), so ``classify`` may keep the
previous topic when the message does not settle one itself.
"""

from __future__ import annotations

import re

from .text import normalise

_OPENERS = (
    r"is|are|was|do|does|did|can|could|will|would|should|have|has|may|am|"
    r"what|whats|what's|when|where|wheres|where's|which|who|how|hows|how's|why|"
    r"is there|are there|any|tell me|i also|also"
)
_BREAK = re.compile(
    rf"(?:[?]+|(?<=[a-z0-9)])[.!;]+(?=\s|$))\s*"
    rf"|,?\s+(?:and|also|plus|oh and|and also|but also|as well as that)\s+(?=(?:{_OPENERS})\b)",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:and also|oh and|but also|and|also|plus)\s+", re.IGNORECASE)
# Fillers before or after the real question: "quick one", "thanks", "cheers".
_FILLER = re.compile(
    r"^(?:hi|hiya|hello|hey|morning|afternoon|evening|thanks|thank you|cheers|ta|ok|okay|"
    r"quick one|quick question|one more thing|also|and|x+|please|pls)$"
)


def split_questions(text: str) -> list[str]:
    """The questions in ``text``, in order, as the visitor wrote them (never empty).

    Parts that are only greetings or thanks are dropped; a message with one question
    comes back as itself.
    """
    parts = [_LEAD.sub("", p.strip(" ,;:-")) for p in _BREAK.split(text)]
    kept = [p for p in parts if p and not _FILLER.match(normalise(p))]
    # A fragment of one or two words after a break ("and parking?") is a question of its own
    # only when it names something; otherwise it belongs to what came before.
    return kept or [text.strip()]


_FOLLOW_UP = re.compile(
    r"^(?:and|also|plus|but|so|ok|okay|oh|right|what about|how about|and what about|"
    r"and how about|what if|same for|same with|is that the same for|does that include|"
    r"and for|or|what about for|and on|and the|and my|and your)\b"
)


def is_follow_up(text: str) -> bool:
    """True for a short message that continues the last question rather than asking anew."""
    words = normalise(text)
    return bool(words) and len(words.split()) <= 7 and bool(_FOLLOW_UP.match(words))
