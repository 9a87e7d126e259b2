"""Normalise contact details before they are indexed, compared or stored."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DEFAULT_REGION = "GB"


def normalise_email(value: str) -> str:
    return value.strip().lower()


def clean_email(value: str) -> str:
    email = normalise_email(value)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValueError(f"{value!r} is not a valid email address") from exc
    return email


def clean_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164, or raise ValueError saying why.

    Numbers are accepted when they are *possible* for their region (right
    length and prefix), not only when *valid*: Ofcom reserves ranges such as
    07700 900xxx for drama and documentation, which clinics use in training
    and which libphonenumber calls invalid (docs/decisions/0004).
    """
    raw = value.strip()
    if not raw:
        raise ValueError("phone number is empty")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(
            f"{value!r} is not a possible phone number for {region} or its country code"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION or number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents, for search: "Zoë" → "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


_PHONEISH = re.compile(r"^[+()\d\s.-]+$")


def phone_digits_for_search(query: str) -> str | None:
    """If the query looks like (part of) a phone number, its digits as stored (E.164 without +)."""
    if not _PHONEISH.match(query):
        return None
    digits = re.sub(r"\D", "", query)
    if len(digits) < 3:
        return None
    stripped = query.strip()
    if stripped.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "44" + digits[1:]
    return digits
