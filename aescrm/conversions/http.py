"""What a platform client reports when a request does not succeed."""

from __future__ import annotations


class PlatformError(Exception):
    """The platform refused or could not be reached.

    ``retryable`` errors (network, 5xx, rate limits, credentials the clinic can
    still fix) are tried again with backoff; others fail the upload at once.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


def short(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
