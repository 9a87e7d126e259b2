"""SMS part counting as carriers bill it (GSM 03.38 / UCS-2)."""

from __future__ import annotations

import pytest

from aescrm.messaging.segments import sms_segments


@pytest.mark.parametrize(
    ("text", "encoding", "parts"),
    [
        ("", "GSM-7", 0),
        ("Hi Amelia, see you at 10:30 on Tuesday.", "GSM-7", 1),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        # The euro sign is an extension character: two septets.
        ("€" * 80, "GSM-7", 1),
        ("€" * 81, "GSM-7", 2),
        # £ is in the basic alphabet: a UK price stays one part.
        ("Whitening from £299 this month." + "x" * 120, "GSM-7", 1),
        # One curly apostrophe (as phones type it) turns the message into UCS-2.
        ("We’ll see you soon", "UCS-2", 1),
        ("’" + "a" * 69, "UCS-2", 1),
        ("’" + "a" * 70, "UCS-2", 2),
        ("’" + "a" * 133, "UCS-2", 2),
        ("’" + "a" * 134, "UCS-2", 3),
        # An emoji is two UTF-16 units and is never split between parts.
        ("😀" * 35, "UCS-2", 1),
        ("😀" * 36, "UCS-2", 2),
    ],
)
def test_parts_and_encoding(text: str, encoding: str, parts: int) -> None:
    counted = sms_segments(text)
    assert (counted.encoding, counted.parts) == (encoding, parts)


def test_an_extension_character_is_not_split_across_parts() -> None:
    # 152 plain characters then a euro: 154 septets, two parts of 153 at most,
    # and the euro cannot straddle the boundary.
    text = "a" * 152 + "€" + "a" * 152
    assert sms_segments(text).parts == 3


def test_remaining_room_for_the_typing_counter() -> None:
    assert sms_segments("Hello").remaining == 155
    assert sms_segments("a" * 200).remaining == 106
