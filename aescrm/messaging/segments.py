"""How many SMS parts a text costs: GSM-7 when every character is in the GSM 03.38
alphabet, UCS-2 otherwise.

GSM-7: 160 characters in one part, 153 per part when split (the rest of each
part carries the joining header); the extension characters (``^{}\\[~]|€`` and
form feed) take two places each and are never split across parts. UCS-2: 70
UTF-16 code units in one part, 67 per part when split; characters outside
the Basic Multilingual Plane (most emoji) take two units and are never split.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    parts: int
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    per_part: int  # room in each part at this length

    @property
    def remaining(self) -> int:
        """Room left in the last part, for a counter shown while typing."""
        return self.parts * self.per_part - self.units if self.parts else self.per_part


def _is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENSION for c in text)


def _count_parts(widths: list[int], single: int, part: int) -> int:
    """Parts needed for characters of these widths, none split across parts."""
    if sum(widths) <= single:
        return 1 if widths else 0
    parts, used = 1, 0
    for width in widths:
        if used + width > part:
            parts, used = parts + 1, 0
        used += width
    return parts


def sms_segments(text: str) -> Segments:
    if _is_gsm(text):
        widths = [2 if c in GSM_EXTENSION else 1 for c in text]
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM-7"
    else:
        widths = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    parts = _count_parts(widths, single, part)
    units = sum(widths)
    return Segments(
        encoding=encoding, parts=parts, units=units, per_part=single if parts <= 1 else part
    )
