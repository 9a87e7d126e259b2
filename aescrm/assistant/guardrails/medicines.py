"""Prescription-only medicines by name: an engine's reply speaks of "anti-wrinkle treatment",
and of "a prescription-only medicine" for the weight-loss injections and hyaluronidase.

Human Medicines Regulations 2012 reg. 284 and CAP Code rule 12.12 forbid advertising them to
the public (see ``aescrm.templating.pom``, which refuses them in marketing templates). A reply
about anti-wrinkle prices or booking also says a prescriber consultation comes first.
"""

from __future__ import annotations

import re

from aescrm.assistant.guardrails.text import sentences
from aescrm.templating.pom import PRODUCT_NAMES

PRESCRIBER_NOTE = (
    "Anti-wrinkle treatment is a prescription-only medicine, so it starts with a consultation "
    "with one of our prescribers."
)
SERVICE = "anti-wrinkle treatment"

_NAMES = sorted({n.lower() for n in (*PRODUCT_NAMES, "botulinum toxin type a", "baby botox")},
                key=len, reverse=True)  # fmt: skip
_NAME = r"(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in _NAMES) + r")"
_MARK = r"(?:\s*(?:®|\(r\)|™))?"
# "Botox injections" -> "anti-wrinkle treatment"; "Botox appointment" -> "anti-wrinkle appointment".
_TREATMENT_WORDS = r"(?:injections?|injectables?|treatments?|jabs?|shots?|therapy|procedures?)"
_OTHER_NOUNS = (
    r"(?:appointments?|consultations?|sessions?|prices?|costs?|offers?|clinics?|bookings?"
    r"|reviews?|top[- ]ups?|results|aftercare)"
)
# After a plural ("Botox injections are") the verb follows the singular service name.
_SINGULAR = {
    "are": "is", "were": "was", "have": "has", "cost": "costs", "start": "starts",
    "last": "lasts", "take": "takes", "work": "works", "need": "needs", "require": "requires",
    "begin": "begins", "help": "helps", "involve": "involves", "do": "does", "dont": "doesn't",
    "don't": "doesn't", "aren't": "isn't", "arent": "isn't", "usually": "usually",
}  # fmt: skip
_PATTERN = re.compile(
    rf"(?P<article>\b(?:a|an)\s+)?(?P<name>(?<![\w-]){_NAME}(?![\w-])){_MARK}"
    rf"(?:(?P<treat>\s+(?:and\s+)?{_TREATMENT_WORDS}\b)|(?P<noun>\s+{_OTHER_NOUNS}\b))?"
    rf"(?P<verb>\s+(?:{'|'.join(map(re.escape, _SINGULAR))})\b)?",
    re.IGNORECASE,
)
_DOUBLED = re.compile(
    r"(anti-wrinkle treatment)s?(?:\s*(?:,|and|or|/|&)\s*anti-wrinkle treatments?)+",
    re.IGNORECASE,
)
_ABOUT_BOOKING_OR_PRICE = re.compile(
    r"£|\bprices?\b|\bcosts?\b|\bfrom\b|\bbook\w*\b|\bappointments?\b|\bslots?\b|\bavailab\w*",
    re.IGNORECASE,
)
_ANTI_WRINKLE = re.compile(r"\banti[- ]?wrinkle\b|\blines and wrinkles\b", re.IGNORECASE)
_HAS_NOTE = re.compile(r"prescri\w+", re.IGNORECASE)


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t\"'(*_")
    return not before or before[-1] in ".!?\n:"


def _verb(match: re.Match[str], plural: bool) -> str:
    verb = match.group("verb") or ""
    if not verb or not plural:
        return verb
    word = verb.strip()
    singular = _SINGULAR[word.lower()]
    if word == "usually":  # "Botox injections usually last" -> "... usually lasts"
        return verb
    return verb[: len(verb) - len(verb.lstrip())] + singular


def _replace(match: re.Match[str]) -> str:
    article = match.group("article") or ""
    plural = False
    if match.group("treat"):
        plural = match.group("treat").strip().lower().endswith("s")
        phrase = SERVICE
    elif match.group("noun"):
        phrase = "anti-wrinkle " + match.group("noun").strip()
    else:
        phrase = SERVICE
    if article:  # "a Botox appointment" -> "an anti-wrinkle appointment"
        article = "An " if article[0].isupper() else "an "
    if not article and _starts_sentence(match.string, match.start()):
        phrase = phrase[0].upper() + phrase[1:]
    return article + phrase + _verb(match, plural)


# Semaglutide, tirzepatide, liraglutide (the weight-loss injections) and hyaluronidase (to
# dissolve filler): no service name fits them all, so a reply calls them what they are.
_OTHER_NAMES = (
    r"(?:ozempic|wegovy|rybelsus|semaglutide|mounjaro|zepbound|tirzepatide|saxenda|victoza"
    r"|liraglutide|trulicity|dulaglutide|hyalase|hyaluronidase|hylenex|liporase)"
)
_OTHER = re.compile(
    rf"(?P<article>\b(?:a|an|the)\s+)?(?P<name>(?<![\w-]){_OTHER_NAMES}(?![\w-])){_MARK}"
    r"(?P<tail>\s+(?:injections?|jabs?|pens?|shots?|tablets?|treatments?))?",
    re.IGNORECASE,
)
_NEEDS_ARTICLE = re.compile(
    r"(?:\b(?:with|using|use|uses|of|prescribe|prescribes|need|needs|called|is|are|like|take"
    r"|takes|taking|on|about|offer|offers|stock|stocks|sell|sells|supply|supplies|provide"
    r"|provides)\s+)$",
    re.IGNORECASE,
)
OTHER_SERVICE = "prescription-only medicine"
# "Wegovy, Ozempic and Mounjaro are" -> "Prescription-only medicines are"; "hyaluronidase
# (Hyalase)" -> "a prescription-only medicine".
_OTHER_LIST = re.compile(
    r"(?:\b(?:a|an) )?(prescription-only medicine)s?(?:\s*(?:,|and|or|/|&)\s*(?:\b(?:a|an) )?"
    r"prescription-only medicines?)+",
    re.IGNORECASE,
)
_OTHER_ASIDE = re.compile(r"\s*\((?:an? )?prescription-only medicines?\)", re.IGNORECASE)
_HAS_PRESCRIBER = re.compile(r"\bprescrib\w+", re.IGNORECASE)
OTHER_NOTE = (
    "Prescription-only medicines are only prescribed after a consultation with a prescriber."
)


def _replace_other(match: re.Match[str]) -> str:
    article = match.group("article") or ""
    tail = (match.group("tail") or "").strip().lower()
    if tail.endswith("s"):  # "Mounjaro injections are" -> "prescription-only medicines are"
        phrase = f"{OTHER_SERVICE}s"
    elif article or _NEEDS_ARTICLE.search(match.string[: match.start()]):
        phrase = f"a {OTHER_SERVICE}"
    else:
        phrase = OTHER_SERVICE
    if _starts_sentence(match.string, match.start()):
        phrase = phrase[0].upper() + phrase[1:]
    return phrase


def _plural(match: re.Match[str]) -> str:
    return "Prescription-only medicines" if match.group(0)[0].isupper() else f"{OTHER_SERVICE}s"


def _rewrite_others(text: str) -> str:
    text = _OTHER_ASIDE.sub("", _OTHER.sub(_replace_other, text))
    text = _OTHER_LIST.sub(_plural, text)
    if not _HAS_PRESCRIBER.search(text):
        body = text.rstrip()
        if body and body[-1] not in ".!?":
            body += "."
        text = body + ("\n\n" if "\n" in body else " ") + OTHER_NOTE
    return text


def rewrite_medicines(text: str) -> tuple[str, list[str]]:
    """The text with prescription-only medicines renamed, and the names it found."""
    found = list(dict.fromkeys(m.group("name") for m in _PATTERN.finditer(text)))
    others = list(dict.fromkeys(m.group("name") for m in _OTHER.finditer(text)))
    if others:
        found += others
        text = _rewrite_others(text)
    rewritten = _DOUBLED.sub(r"\1", _PATTERN.sub(_replace, text))
    about_booking = any(
        _ANTI_WRINKLE.search(s) and _ABOUT_BOOKING_OR_PRICE.search(s) for s in sentences(rewritten)
    )
    if about_booking and not _HAS_NOTE.search(rewritten):
        body = rewritten.rstrip()
        if body and body[-1] not in ".!?":
            body += "."
        rewritten = body + ("\n\n" if "\n" in body else " ") + PRESCRIBER_NOTE
    return rewritten, found
