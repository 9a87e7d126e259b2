"""Under-18s and the treatments the law keeps from them.

The Botulinum Toxin and Cosmetic Fillers (Children) Act 2021 makes it an offence in England
to give botulinum toxin, or a filler by injection for a cosmetic purpose, to anyone under 18,
or to book it for them, even with a parent's consent (s.1 and s.2; a filler is "any
substance used for dermal or mucous membrane filling").

Tooth whitening: under the Cosmetic Products Regulation as retained in UK law (Annex III,
hydrogen peroxide), products releasing more than 0.1% hydrogen peroxide (up to 6%) may only
be supplied to dental professionals and must not be used on anyone under 18, except wholly
to treat or prevent disease. Cosmetic whitening is therefore refused to under-18s too.

The visitor's age only flags the conversation: a 16-year-old may still book a check-up; the
dialogue refuses the rest.
"""

from __future__ import annotations

import datetime as dt
import re

from aescrm.assistant.guardrails.birth import age_from_birth
from aescrm.assistant.guardrails.text import normalise

_WORD_AGES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20,
}  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(_WORD_AGES) + r")"
# What may follow "I'm 16" when it is not an age: "I'm 16 weeks pregnant", "I'm 5 minutes away".
_NOT_AGE = (
    r"(?! (?:weeks?|wks?|months?|days?|hours?|hrs?|minutes?|mins?|seconds?|stone|st|kg|kilos?"
    r"|lbs?|pounds?|ft|foot|feet|inches|cm|mm|miles?|km|percent|per cent|pm|am|oclock"
    r"|times|stops|mile|quid|p|k|ml|units|of|out of|x|o clock|th|st|nd|rd))"
)
_CHILD = (
    r"(?:daughter|son|child|kid|boy|girl|grandson|granddaughter|niece|nephew|sister|brother"
    r"|stepdaughter|stepson|teen|teenager|friend|cousin|she|he)"
)
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:i am|im|iam|i m|i turned|turned|turning|just turned|age|aged|ages)"
        rf"(?: only| just| nearly| almost| currently| actually| really| honestly| literally"
        rf"| still| in fact| sadly| unfortunately)? {_NUMBER}\b{_NOT_AGE}",
        # "no 17", "nah sorry 16": the answer to "is the person 18 or over?"
        rf"^(?:no|nah|nope|not quite|sadly not|unfortunately not|not yet)(?: sorry| im| shes"
        rf"| hes| they are| theyre| she is| he is)? {_NUMBER}(?: (?:years?|yrs?|yo)(?: old)?)?$",
        rf"\b{_NUMBER} ?(?:years?|yrs?|yo)(?: old)?\b",
        # "sixteen, can i book anti wrinkle", "16 and want lip filler": a teenage age opening
        # the message, followed by what they want ("2 can i book" is a number of people).
        rf"^(1[0-7]|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen){_NOT_AGE}"
        rf" (?:and|but|so|can|could|may|is|am|do|would|will|want|wanting"
        rf"|looking|need|interested|wondering|here|btw|can i|could i)\b",
        rf"\b{_NUMBER} year old\b",
        rf"\b{_CHILD}(?: is| who is| whos| thats| that is| aged| age| of)(?: only| just)?"
        rf" {_NUMBER}\b{_NOT_AGE}",
        rf"\b(?:shes|hes|she is|he is|theyre|they are|my child is|my kid is)(?: only| just)?"
        rf" {_NUMBER}\b{_NOT_AGE}",
    )
)
_UNDER_18_WORDS = re.compile(
    r"\b(?:under 18|under eighteen|not (?:yet )?18|not (?:yet )?eighteen|im a minor"
    r"|i am a minor|underage|under age|still at school|in year (?:7|8|9|10|11|12|seven|eight"
    r"|nine|ten|eleven|twelve)|doing my gcses|doing gcses|sixth form|my teenage \w+"
    r"|teenage (?:daughter|son))\b"
)
_EIGHTEEN = r"(?:18|eighteen)"
# Not 18 yet, said as a future: "ill be 18 in feb", "turning 18 next month", "my 18th is in
# march", "can i book it when i turn 18".
_NOT_YET_18 = re.compile(
    rf"\b(?:ill|i will|i ll|im going to|shell|she will|hell|he will|shes going to|hes going to"
    rf"|theyll|they will) be {_EIGHTEEN}\b(?! (?:years? )?(?:ago|last|already))"
    rf"|\b(?:im|i am|shes|she is|hes|he is|shes|theyre)? ?(?:turning|turn|turns|will turn"
    rf"|gonna turn|going to turn) {_EIGHTEEN} (?:in|next|on|this|soon|at the end|after|tomorrow"
    rf"|later|by)\b"
    rf"|\b(?:till|until|til|before|when|once) (?:i|she|he|they|my \w+) (?:turn|turns|am|is|are"
    rf"|m|s|re|get|gets) {_EIGHTEEN}\b"
    rf"|\b(?:my|her|his|their) (?:18th|eighteenth)(?: birthday| bday)? (?:is|isnt|is not"
    rf"|will be|s)? ?(?:in|next|on|this|soon|coming up|not until|not till|till|until)\b"
    rf"|\bnot {_EIGHTEEN} (?:till|until|til|yet|for)\b"
    rf"|\b(?:im|i am|shes|she is|hes|he is|theyre|they are|my \w+ is|is) {_EIGHTEEN}"
    rf" (?:next|in|on|this coming|at the end of|after|soon)\b(?! (?:the|my|your|our|age"
    rf"|years? old)\b)"
)


def _age(token: str) -> int:
    return int(token) if token.isdigit() else _WORD_AGES[token]


def stated_under_18(message: str, now: dt.date | dt.datetime | None = None) -> str | None:
    """A short reason when the message says the person to be treated is under 18: an age,
    words ("in year 11", "ill be 18 in feb") or a date of birth, whose age is reckoned on
    ``now`` (Europe/London; default today)."""
    text = normalise(message)
    if _UNDER_18_WORDS.search(text):
        return "says they are under 18"
    if _NOT_YET_18.search(text):
        return "says they are not 18 yet"
    born = age_from_birth(message, now)
    if born is not None and born < 18:
        return f"date of birth: under 18 (at least {born})"
    for pattern in _PATTERNS:
        for found in pattern.finditer(text):
            age = _age(found.group(1))
            if 1 <= age < 18:
                return f"age {age} mentioned"
    return None


_RESTRICTED = re.compile(
    r"\b(?:botox|botulinum|toxin|anti ?wrinkle|wrinkle relax\w*|dysport|azzalure|bocouture"
    r"|xeomin|vistabel|letybo|alluzience|relfydess|nuceiva|filler|fillers|dermal|lip"
    r" (?:enhancement|augmentation|flip|plump\w*)|tear trough|cheek enhancement|jawline"
    r" (?:filler|contouring|sculpting)|chin (?:filler|enhancement)|non surgical rhinoplasty"
    r"|liquid rhinoplasty|liquid facelift|hyaluronic|juvederm|restylane|teosyal|belotero"
    r"|radiesse|sculptra|ellanse|profhilo|skin boosters?|polynucleotides?|masseter"
    r"|gummy smile|brow lift|lip injections?|injectables?|baby botox|lines and wrinkles)\b"
)


_WHITENING = re.compile(
    r"\b(?:(?:tooth|teeth|dental|smile|home|in chair|in surgery|professional|laser|power)"
    r" whitening|whitening (?:kit|trays?|gel|treatment|course|system)|bleaching|enlighten"
    r"|boutique whitening|philips zoom|zoom whitening|opalescence|poladay|polanight|whitening)\b"
)


def _is_whitening(name: str, category: str = "") -> bool:
    return bool(_WHITENING.search(normalise(f"{name} {category}")))


def restricted_under_18(name: str, category: str = "", prescription_medicine: bool = False) -> bool:
    """Treatments the law keeps from under-18s: botulinum toxin and injected fillers (the
    2021 Act, England) and tooth whitening (hydrogen peroxide over 0.1%).

    Injected skin boosters count as fillers here (hyaluronic acid injected into the skin);
    refusing one by mistake costs a booking, allowing one by mistake breaks the law.
    """
    if prescription_medicine:
        return True
    return bool(_RESTRICTED.search(normalise(f"{name} {category}"))) or _is_whitening(
        name, category
    )


def age_check_before_booking(
    name: str, category: str = "", prescription_medicine: bool = False
) -> bool:
    """Treatments to confirm "18 or over" for before booking: toxin and fillers, since the
    2021 Act makes arranging them for an under-18 an offence too. Whitening is refused when
    the visitor says they are under 18 (``restricted_under_18``), but its rules govern using
    the product, which the dentist checks at the appointment, so booking asks nothing.
    """
    if prescription_medicine:
        return True
    return bool(_RESTRICTED.search(normalise(f"{name} {category}")))


_OTHER_HELP = (
    "I'm happy to help with something else, such as a check-up or a hygienist appointment, "
    "or to answer any other questions."
)


def under_18_refusal(treatment_name: str, category: str = "") -> str:
    """The refusal, giving the rule that applies to this treatment; always names 18."""
    treatment = treatment_name.strip() or "this treatment"
    if _is_whitening(treatment_name, category) and not _RESTRICTED.search(
        normalise(f"{treatment_name} {category}")
    ):
        reason = (
            "UK rules on cosmetic products don't allow the whitening products dentists use "
            "(over 0.1% hydrogen peroxide) on anyone under 18, even with a parent's "
            "permission, unless it's to treat or prevent a dental disease."
        )
    else:
        # Not the Act's full title: a reply may not name the prescription-only medicine.
        reason = (
            "The law in England (an Act of 2021 on anti-wrinkle injections and fillers) "
            "doesn't allow them for cosmetic reasons before your 18th birthday, even with a "
            "parent's permission."
        )
    return f"I'm sorry, we can't offer {treatment} to anyone under 18. {reason} {_OTHER_HELP}"
