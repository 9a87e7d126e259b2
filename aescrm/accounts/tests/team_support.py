"""Helpers for the team tests: invitation emails caught by a fake Postmark, their links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from aescrm.accounts import team
from aescrm.accounts.models import Invitation
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

PLATFORM_TOKEN = "platform-token-team-0001"
BASE = "https://app.aes-crm.test"
NEW_PASSWORD = "plum tractor lantern 42"


@contextmanager
def account_mail() -> Iterator[FakePostmark]:
    """Account emails go to a fake Postmark; links point at ``BASE``."""
    fake = FakePostmark(server_token=PLATFORM_TOKEN)
    fake.start()
    try:
        with override_settings(
            ACCOUNT_EMAIL_TOKEN=PLATFORM_TOKEN,
            POSTMARK_API_BASE=fake.api_base,
            PUBLIC_BASE_URL=BASE,
        ):
            yield fake
    finally:
        fake.stop()


def link_in(message: dict[str, Any]) -> str:
    """The path of the invitation link in an email (what the invitee clicks)."""
    found = re.search(re.escape(BASE) + r"(/invitations/[A-Za-z0-9_-]+)", message["TextBody"])
    assert found, message["TextBody"]
    return found.group(1)


def invite(
    postmark: FakePostmark, world: ClinicWorld, email: str, role: str, *, by: str = "owner"
) -> tuple[Invitation, str]:
    """Invite through the service as ``by``; the invitation and the path of its emailed link."""
    sent = team.invitation_create(
        caller=world.caller(by), email=email, role=role, invited_by=world.users[by]
    )
    assert sent.email_sent, sent.problem
    return sent.invitation, link_in(postmark.sent_to(email.lower())[-1])
