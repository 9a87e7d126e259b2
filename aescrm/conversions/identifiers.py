"""Normalising and hashing identifiers exactly as each platform specifies.

Google Ads (enhanced conversions for leads): SHA-256 hex of the email trimmed
and lower-cased, with the dots before the "@" removed in gmail.com and
googlemail.com addresses (Gmail ignores them), and of the phone number in
E.164 (with the "+").

Meta Conversions API (customer information parameters): SHA-256 hex of
- ``em``: email trimmed and lower-cased;
- ``ph``: digits only, with the country code, no leading zeros or "+";
- ``fn`` / ``ln``: lower-case, no punctuation (and no spaces), UTF-8;
- ``external_id``: our patient id (hashing is recommended).
``fbc`` and ``fbp`` are sent as they are, never hashed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from aescrm.patients.normalise import clean_phone


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_email(value: str) -> str:
    return value.strip().lower()


GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def google_email(value: str) -> str:
    """Google's normal form: trimmed, lower-case, no dots before the @ of a Gmail address."""
    email = normalise_email(value)
    local, at, domain = email.rpartition("@")
    if at and domain in GMAIL_DOMAINS:
        return f"{local.replace('.', '')}@{domain}"
    return email


def e164(value: str) -> str:
    """ "+447700900123" for "07700 900123" (UK default); "" when it is not a phone number."""
    try:
        return clean_phone(value)
    except ValueError:
        return ""


def meta_phone(value: str) -> str:
    """Meta's form: the E.164 digits without "+" ("447700900123"); "" when unusable."""
    number = e164(value)
    if number:
        return number.lstrip("+")
    digits = re.sub(r"\D", "", value).lstrip("0")
    return digits


def meta_name(value: str) -> str:
    """Lower-case, letters and digits only (punctuation and spaces removed), NFC UTF-8."""
    text = unicodedata.normalize("NFC", value.strip().lower())
    return "".join(
        ch for ch in text if not unicodedata.category(ch).startswith(("P", "Z", "C", "S"))
    )


def google_hashed_email(value: str) -> str:
    return sha256_hex(google_email(value))


def google_hashed_phone(value: str) -> str:
    number = e164(value)
    return sha256_hex(number) if number else ""


def meta_hashed(kind: str, value: str) -> str:
    """The hashed ``em``, ``ph``, ``fn``, ``ln`` or ``external_id``; "" when nothing is left."""
    if kind == "em":
        normal = normalise_email(value)
    elif kind == "ph":
        normal = meta_phone(value)
    elif kind in ("fn", "ln"):
        normal = meta_name(value)
    elif kind == "external_id":
        normal = value.strip().lower()
    else:
        raise ValueError(f"unknown Meta identifier {kind!r}")
    return sha256_hex(normal) if normal else ""
