"""Which of the offered appointments the visitor picked."""

from __future__ import annotations

import re
from collections.abc import Sequence

from aescrm.assistant.engines.base import SlotOffer

from .extract import yes_no
from .text import normalise

_ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "1": 0, "top": 0,
    "second": 1, "2nd": 1, "two": 1, "2": 1, "middle": 1,
    "third": 2, "3rd": 2, "three": 2, "3": 2,
    "fourth": 3, "4th": 3, "four": 3, "4": 3,
    "fifth": 4, "5th": 4, "five": 4, "5": 4,
}  # fmt: skip
_WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LABEL_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")
_TIME = re.compile(r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>am|pm)?\b")
_HOURS_RE = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_HALF = re.compile(r"\bhalf (past )?(?P<h>\d{1,2}|" + _HOURS_RE + r")\b")
_WORD_HOURS = {
    word: hour
    for hour, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
        start=1,
    )
} | {"twelve": 12}
# "the latest" / "the earliest" always pick an end; "the later one" / "the earlier one"
# too (with three offers people mean the end one). A bare "later" asks for other times.
_LATEST = re.compile(r"\b(latest|last|final)\b")
_EARLIEST = re.compile(r"\b(earliest|soonest)\b")
_LATER_ONE = re.compile(r"\b(the later|later one|later slot|later time|later appointment)\b")
_EARLIER_ONE = re.compile(
    r"\b(the earlier|earlier one|earlier slot|earlier time|earlier appointment"
    r"|the sooner|sooner one)\b"
)
# A lone "one" is the first option ("one please"); after another detail it is a
# pronoun ("the second one", "the 2pm one", "the later one").
_ONE_ALONE = re.compile(
    r"^(option |number |no |slot )?(one|1)( please| thanks| thank you| is fine)?$"
)
_PART_OF_DAY = {
    "morning": (0, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 24 * 60),
    "lunchtime": (11 * 60 + 30, 14 * 60),
}


def _label_minutes(offer: SlotOffer) -> int | None:
    m = _LABEL_TIME.search(offer.label)
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def _label_weekday(offer: SlotOffer) -> int | None:
    low = offer.label.lower()
    for i, abbr in enumerate(_WEEKDAY_ABBR):
        if re.search(rf"\b{abbr}", low):
            return i
    return None


def _wanted_minutes(raw: str) -> list[int]:
    """Clock times in the reply, in minutes after midnight (both readings when am/pm is unsaid)."""
    half = _HALF.search(raw)
    if half:
        h = int(half.group("h")) if half.group("h").isdigit() else _WORD_HOURS[half.group("h")]
        return [h * 60 + 30, ((h % 12) + 12) * 60 + 30]
    found: list[int] = []
    for m in re.finditer(
        rf"\b(?:at|around|about|for|say) (\d{{1,2}}|{_HOURS_RE})\b"
        r"(?![:.]?\d|\s*[ap]m|\s*o\W?\s?clock)",
        raw,
    ):
        word = m.group(1)
        h = int(word) if word.isdigit() else _WORD_HOURS[word]
        if not 1 <= h <= 12 and not 13 <= h <= 21:
            continue
        found.extend({h * 60, ((h % 12) + 12) * 60})
    for m in re.finditer(rf"\b(\d{{1,2}}|{_HOURS_RE})\s*o\W?\s?clock\b", raw):
        word = m.group(1)
        h = int(word) if word.isdigit() else _WORD_HOURS[word]
        found.extend({h * 60, ((h % 12) + 12) * 60})
    for m in _TIME.finditer(raw):
        if m.group("m") is None and m.group("ap") is None:
            continue  # a bare number is an option number, handled separately
        h, minute, ap = int(m.group("h")), int(m.group("m") or 0), m.group("ap")
        if ap == "pm" and h < 12:
            found.append((h + 12) * 60 + minute)
        elif ap == "am":
            found.append((h % 12) * 60 + minute)
        else:
            found.extend({h * 60 + minute, ((h % 12) + 12) * 60 + minute})
    return found


def choose_slot(text: str, offers: Sequence[SlotOffer]) -> SlotOffer | None:
    """The offer the visitor picked, or None when the reply picks none or more than one.

    Understands the label itself, a position ("the first one", "2", "the last"),
    a time ("10am", "10:30", "half two", "at 3"), a day ("tuesday"), a
    practitioner's name, and "the earlier/later one"; details narrow each other.
    """
    if not offers:
        return None
    raw = text.lower().strip()
    said = normalise(text)
    words = said.split()
    for offer in offers:
        if normalise(offer.label) and normalise(offer.label) in said:
            return offer
    candidates = list(offers)
    narrowed = False
    minutes = _wanted_minutes(raw)
    if not minutes:
        bare_hours = [int(w) for w in words if w.isdigit() and 7 <= int(w) <= 20]
        if bare_hours and len(offers) < 7:
            minutes = [h * 60 for h in bare_hours] + [(h % 12 + 12) * 60 for h in bare_hours]
    if minutes:
        candidates = [o for o in candidates if _label_minutes(o) in minutes]
        narrowed = True
    days = [i for i, d in enumerate(_WEEKDAYS) if d in words]
    if days:
        candidates = [o for o in candidates if _label_weekday(o) in days]
        narrowed = True
    parts = [span for word, span in _PART_OF_DAY.items() if word in words]
    if parts and not minutes:
        candidates = [
            o for o in candidates if any(lo <= (_label_minutes(o) or -1) < hi for lo, hi in parts)
        ]
        narrowed = True
    names = {
        o.practitioner_name: set(normalise(o.practitioner_name).split())
        - {"dr", "mr", "mrs", "ms", "miss", "nurse"}
        for o in offers
    }
    named = {n for n, parts in names.items() if parts & set(words)}
    if named and len(named) < len(names):
        candidates = [o for o in candidates if o.practitioner_name in named]
        narrowed = True
    ordered = sorted(candidates, key=lambda o: o.starts_at)
    if ordered and (_LATEST.search(said) or _LATER_ONE.search(said)):
        return ordered[-1]
    if ordered and (_EARLIEST.search(said) or _EARLIER_ONE.search(said)):
        return ordered[0]
    positions = [_ORDINALS[w] for w in words if w in _ORDINALS and w not in ("one", "1")]
    if not positions and _ONE_ALONE.match(said):
        positions = [0]
    if not narrowed and len(set(positions)) == 1:
        index = positions[0]
        return offers[index] if index < len(offers) else None
    if narrowed and len(candidates) == 1:
        return candidates[0]
    if narrowed and len(set(positions)) == 1 and positions[0] < len(candidates):
        return candidates[positions[0]]
    if (
        not narrowed
        and len(offers) == 1
        and (yes_no(text) or re.search(r"\b(that|this) one\b", said))
    ):
        return offers[0]
    return None
