"""Which channels a visitor agrees to for news and offers: "texts are fine", "emails only".

``consent_channels`` reads the answer to "Would you like news and offers by SMS, email,
both or no thanks?". Both channels True means "any" ("either is fine", "yes",
"whatever's easiest"): the dialogue should keep only the channels it has details for.
"""

from __future__ import annotations

import re

from .extract import yes_no
from .text import normalise

_SMS = r"(sms|text|texts|texting|txt|txts|message|messages|messaging|mobile|phone)"
_EMAIL = r"(email|emails|emailing|e-mail|mail|inbox)"
_NOT = r"(no|not|never|without|do not|dont|rather not|nothing by|not by|not via|no more|stop|hate)"
_ANY = re.compile(
    r"\b(both|either|either one|either way|all|any|anything|any of them|any way|whichever|"
    r"whatever|whatevers|whatever is easiest|whatever works|whatever suits|do not mind|not fussed|"
    r"i am easy|happy with both|both fine|both are fine|either is fine)\b"
)
_NONE = re.compile(
    r"\b(neither|none|no thanks|no thank you|no ta|no marketing|no offers|no news|not interested|"
    r"do not contact|do not send|do not want (any|them|offers|news)|no spam|unsubscribe|opt out|"
    r"rather not|i will pass|nah|nope|no)\b"
)


_CLAUSES = re.compile(r"[,.;:!?\n]+|\b(?:but|however|though|although|and|or)\b", re.IGNORECASE)


def _said(channel: str, clauses: list[str]) -> bool | None:
    """True when a clause agrees to ``channel``, False when one rules it out, else None."""
    found: bool | None = None
    for words in clauses:
        if re.search(rf"\b{_NOT}( \w+)?( by| via| on| over| any)? {channel}\b", words):
            return False
        if re.search(rf"\b{channel}\b", words):
            found = True
    return found


def consent_channels(text: str) -> dict[str, bool] | None:
    """{"sms": bool, "email": bool} the visitor agreed to, or None if ``text`` is no answer.

    "texts are fine" -> sms only; "emails only" -> email only; "either is fine",
    "whatever's easiest", "yes" -> both; "no thanks", "neither" -> none.
    """
    words = normalise(text)
    if not words:
        return None
    clauses = [normalise(c) for c in _CLAUSES.split(text) if c and c.strip()]
    sms = _said(_SMS, clauses)
    email = _said(_EMAIL, clauses)
    if sms is not None or email is not None:
        only = re.search(r"\b(only|just)\b", words)
        if sms and email is None and only:
            email = False
        if email and sms is None and only:
            sms = False
        return {"sms": bool(sms), "email": bool(email)}
    if _ANY.search(words):
        return {"sms": True, "email": True}
    answer = yes_no(text)
    if answer is False or _NONE.search(words):
        return {"sms": False, "email": False}
    if answer is True:
        return {"sms": True, "email": True}
    return None
