"""consent_channels() carries a "no" across a list ("no texts or emails") and reads phone
calls as their own channel ("phone calls are fine"), never as texts."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import consent_channels


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("no texts or emails please", {"sms": False, "email": False}),
        ("dont email or text me", {"sms": False, "email": False}),
        ("not by text, email or phone call", {"sms": False, "email": False, "phone": False}),
        (
            "phone calls are fine but no texts or emails please",
            {"sms": False, "email": False, "phone": True},
        ),
        ("no calls or texts, email is fine", {"sms": False, "email": True, "phone": False}),
        ("texts about offers are fine but please dont email me", {"sms": True, "email": False}),
        ("text me on my phone", {"sms": True, "email": False}),
    ],
)
def test_it_reads_each_channel(text: str, channels: dict[str, bool]) -> None:
    assert consent_channels(text) == channels
