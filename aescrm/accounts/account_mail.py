"""Email from AES-CRM Ltd to the people who hold accounts (not to patients).

Verification links, staff invitations and billing notices come from the
platform, not from a clinic, so they use the platform's own Postmark server
token (``ACCOUNT_EMAIL_TOKEN``) rather than a clinic's mail settings. A local
demo has no token: the message goes to the console, where the developer who
ran ``make run`` can follow the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from anymail.exceptions import AnymailError
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

POSTMARK_BACKEND = "anymail.backends.postmark.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


class AccountMailError(Exception):
    """The email could not be handed to Postmark; the caller says so and offers a resend."""


@dataclass(frozen=True)
class AccountEmail:
    to: str
    subject: str
    text: str


def send_account_email(email: AccountEmail) -> None:
    token = settings.ACCOUNT_EMAIL_TOKEN
    if token:
        connection = get_connection(
            POSTMARK_BACKEND,
            server_token=token,
            api_url=f"{settings.POSTMARK_API_BASE}/",
            timeout=settings.MESSAGING_HTTP_TIMEOUT,
        )
    else:
        connection = get_connection(CONSOLE_BACKEND)
    message = EmailMessage(
        subject=email.subject,
        body=email.text,
        from_email=settings.ACCOUNT_EMAIL_FROM,
        to=[email.to],
        connection=connection,
    )
    try:
        message.send()
    except AnymailError as exc:
        raise AccountMailError(f"the email to {email.to} could not be sent: {exc}"[:300]) from exc
