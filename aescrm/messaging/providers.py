"""The worker's view of a sending channel: one small adapter per channel.

``worker`` claims, re-checks and records; an adapter knows its provider: whether
the clinic has set it up, how to send one message, how to find a message that a
crashed attempt already handed over (so it is not sent twice), and which errors
are final. SMS goes through ``twilio``; email through ``aescrm.mail.provider``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

# Our clock against Twilio's, when matching its messages to ours (reconcile).
CLOCK_SKEW = dt.timedelta(minutes=5)


class ProviderError(Exception):
    def __init__(self, message: str, *, retryable: bool, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class Sent:
    sid: str
    status: str


class Provider(Protocol):
    name: str  # stored as Message.provider
    not_configured: str  # the reason shown when the clinic has not set it up

    def load_settings(self) -> Any:
        """The active clinic's settings row for this channel (or None)."""

    def ready(self, row: Any) -> bool: ...

    def send(self, message: Any, row: Any) -> Sent:
        """Hand the message over; raises ProviderError."""

    def find_sent(self, message: Any, row: Any, exclude: set[str]) -> Sent | None:
        """The provider's record of this attempt, if it took the message already."""

    def permanent_reason(self, code: str, fallback: str) -> str: ...

    def failed(self, message: Any, error: ProviderError) -> None:
        """Called after a permanent failure (e.g. email: suppress an inactive address)."""


class SmsProvider:
    name = "twilio"
    not_configured = "SMS is not set up for this clinic (Twilio settings)"

    def load_settings(self) -> Any:
        from aescrm.messaging.services import settings_of_clinic

        return settings_of_clinic()

    def ready(self, row: Any) -> bool:
        from aescrm.messaging import twilio

        return twilio.ready(row)

    def send(self, message: Any, row: Any) -> Sent:
        from aescrm.messaging import twilio, worker

        return twilio.send_sms(
            row,
            to=str(message.to_address),
            body=str(message.body),
            status_callback=worker.status_callback_url(message),
        )

    def find_sent(self, message: Any, row: Any, exclude: set[str]) -> Sent | None:
        from aescrm.messaging import twilio

        return twilio.find_sent(
            row,
            to=str(message.to_address),
            body=str(message.body),
            # Any attempt of this row counts, however late Twilio lists it.
            since=message.created_at - CLOCK_SKEW,
            exclude=exclude,
        )

    def permanent_reason(self, code: str, fallback: str) -> str:
        from aescrm.messaging import twilio

        return twilio.PERMANENT_CODES.get(code, fallback)

    def failed(self, message: Any, error: ProviderError) -> None:
        return None


def provider_for(channel: str) -> Provider | None:
    """The adapter that sends ``channel``, or None if nothing sends it."""
    if channel == "sms":
        return SmsProvider()
    if channel == "email":
        from aescrm.mail.provider import EmailProvider

        return EmailProvider()
    return None
