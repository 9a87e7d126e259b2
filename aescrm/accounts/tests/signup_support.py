"""Helpers for the sign-up tests: the form and the emailed link."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from aescrm.testing.fakes.postmark import FakePostmark

PLATFORM_TOKEN = "platform-token-signup"
PASSWORD = "violet harbour lantern 42"
LINK = re.compile(r"https?://[^\s/]+(/signup/verify/[A-Za-z0-9_-]+)")


def form(**fields: str) -> dict[str, str]:
    return {
        "full_name": "Grace Hopper",
        "email": "grace@hopper-aesthetics.co.uk",
        "password": PASSWORD,
        "clinic_name": "Hopper Aesthetics",
        "website": "",
        **fields,
    }


def sign_up(client: Client, **fields: str) -> Any:
    return client.post("/signup", form(**fields))


def link_in(postmark: FakePostmark, address: str) -> str:
    """The path of the confirmation link in the newest email to ``address``."""
    sent = postmark.sent_to(address)
    assert sent, f"no email to {address}"
    found = LINK.search(sent[-1]["TextBody"])
    assert found, sent[-1]["TextBody"]
    return found.group(1)
