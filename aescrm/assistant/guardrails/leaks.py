"""Data leaks: contact details that are not the clinic's or the visitor's own, text that
reads like the assistant's instructions, and credentials. Any of these blocks the reply.
"""

from __future__ import annotations

import re

import phonenumbers

from aescrm.assistant.guardrails.text import clean, compile_all

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# UK numbers written the usual ways; phonenumbers (below) finds the rest but rejects the
# Ofcom drama ranges (07700 900xxx), which look real enough to a reader.
_UK_PHONE = re.compile(r"(?<![\d£.,])(?:\+\s?44\s?(?:\(0\)\s?)?|\b0)\d(?:[\s\-]?\d){8,9}(?!\d)")

_INSTRUCTIONS = compile_all(
    r"(?i)\bsystem prompt\b|\bsystem message\b|\bdeveloper message\b",
    r"(?i)\bmy (?:instructions|directives|system instructions|programming|guidelines|rules)"
    r" (?:are|say|tell|state|were|include)\b",
    r"(?i)\bi (?:was|have been|am) (?:instructed|told|programmed|prompted) (?:to|not to)\b",
    r"(?i)\byou are (?:the|an?) (?:\w+ )?assistant (?:of|for)\b",
    r"(?i)\b(?:begin|end) (?:of )?(?:system )?instructions\b|\bBEGIN [A-Z ]*PROMPT\b",
    r"(?i)<\|?(?:im_start|im_end|system|endoftext)\|?>|\[/?INST\]|<<\s*/?SYS\s*>>",
    r"(?im)^\s*(?:#+\s*)?(?:system|instructions|rules)\s*:",
    r"(?i)\b(?:here (?:are|is) my|these are my) (?:instructions|rules|prompt)\b",
)
_SECRETS = compile_all(
    r"\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_\-]{16,}",
    r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}",
    r"\bwhsec_[A-Za-z0-9]{10,}",
    r"\bAKIA[0-9A-Z]{16}\b",
    r"\bgh[pousr]_[A-Za-z0-9]{20,}",
    r"\bxox[abprs]-[A-Za-z0-9\-]{10,}",
    r"\bAIza[0-9A-Za-z_\-]{30,}",
    r"(?i)\bbearer\s+[A-Za-z0-9._\-]{20,}",
    r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.",
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    r"(?i)\b(?:api[_\s-]?key|secret|token|password|passwd|pwd)\b\s*[:=]\s*\S{6,}",
)
# A long run of letters and digits outside a link: a key, a token or an identifier.
_TOKEN = re.compile(r"(?<![\w/=?&.\-])(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])"
                    r"[A-Za-z0-9_\-]{32,}(?![\w/])")  # fmt: skip
_URL = re.compile(r"https?://\S+")


def _digits(number: str) -> str:
    """A comparable form of a phone number: its national significant digits."""
    try:
        parsed = phonenumbers.parse(number, "GB")
        return str(parsed.national_number)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", number)
        return digits[-10:]


def phones_in(text: str) -> set[str]:
    found = {_digits(m.group(0)) for m in _UK_PHONE.finditer(text)}
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID):
        found.add(str(match.number.national_number))
    return found


def emails_in(text: str) -> set[str]:
    return {e.lower().rstrip(".") for e in _EMAIL.findall(text)}


def find_leak(text: str, *, known_phones: set[str], known_emails: set[str]) -> str | None:
    """What the reply leaks, or None. ``known_*``: the clinic's and the visitor's own."""
    raw = clean(text)
    known_digits = {_digits(p) for p in known_phones if p.strip()}
    if emails_in(raw) - {e.lower() for e in known_emails}:
        return "an email address that is not the clinic's or the visitor's"
    if phones_in(raw) - known_digits:
        return "a phone number that is not the clinic's or the visitor's"
    if any(p.search(raw) for p in _SECRETS) or _TOKEN.search(_URL.sub(" ", raw)):
        return "a key or token"
    if any(p.search(raw) for p in _INSTRUCTIONS):
        return "text that reads like the assistant's instructions"
    return None
