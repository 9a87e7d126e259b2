"""Which channels a visitor agrees to for news and offers: "texts are fine", "emails only".

``consent_channels`` reads the answer to "Would you like news and offers by SMS, email,
both or no thanks?". Both channels True means "any" ("either is fine", "yes",
"whatever's easiest"): the dialogue should keep only the channels it has details for.
"""

from __future__ import annotations

import re

from .extract import yes_no
from .text import normalise

# "On my phone/mobile" means texts; "phone calls", "ring me" are the phone channel.
_SMS = r"(sms|text|texts|texting|txt|txts|message|messages|messaging|mobile|phone(?! calls?))"
_EMAIL = r"(email|emails|emailing|e-mail|mail|inbox)"
_PHONE = r"(phone calls?|calls|calling|ring|ringing|ring me|call me|a call|phoning)"
_ANY_CHANNEL = rf"(?:{_SMS}|{_EMAIL}|{_PHONE})"
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


def _said(channel: str, clauses: list[str], words: str = "") -> bool | None:
    """True when a clause agrees to ``channel``, False when one rules it out, else None.

    ``words``, the whole answer, carries a "no" across a list: "no texts or emails"."""
    sep = r"(?: or| and| nor|,)*"
    listed = (
        rf"\b{_NOT}( \w+)?( by| via| on| over| any)? {_ANY_CHANNEL}(?:{sep} {_ANY_CHANNEL})*"
        rf"{sep} {channel}\b(?! (?:is|are) (?:fine|ok|okay|good|great|alright|all right)\b"
        r"| only\b| works\b)"
    )
    if words and re.search(listed, words):
        return False
    found: bool | None = None
    for words in clauses:
        if re.search(rf"\b{_NOT}( \w+)?( by| via| on| over| any)? {channel}\b", words):
            return False
        if re.search(rf"\b{channel}\b", words):
            found = True
    return found


def consent_channels(text: str) -> dict[str, bool] | None:
    """{"sms": bool, "email": bool} the visitor agreed to, or None if ``text`` is no answer;
    with "phone" too when they speak of calls ("phone calls are fine but no texts").

    "texts are fine" -> sms only; "emails only" -> email only; "either is fine",
    "whatever's easiest", "yes" -> both; "no thanks", "neither" -> none.
    """
    words = normalise(text)
    if not words:
        return None
    clauses = [normalise(c) for c in _CLAUSES.split(text) if c and c.strip()]
    sms = _said(_SMS, clauses, words)
    email = _said(_EMAIL, clauses, words)
    phone = _said(_PHONE, clauses, words)
    if sms is not None or email is not None or phone is not None:
        only = re.search(r"\b(only|just)\b", words)
        if sms and email is None and only:
            email = False
        if email and sms is None and only:
            sms = False
        channels = {"sms": bool(sms), "email": bool(email)}
        if phone is not None:
            channels["phone"] = phone  # only when they speak of calls: the question does not
        return channels
    if _ANY.search(words):
        return {"sms": True, "email": True}
    answer = yes_no(text)
    if answer is False or _NONE.search(words):
        return {"sms": False, "email": False}
    if answer is True:
        return {"sms": True, "email": True}
    return None
