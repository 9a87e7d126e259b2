"""Email as a channel of the messaging worker (see ``aescrm.messaging.providers``)."""

from __future__ import annotations

from typing import Any

from aescrm.accounts.models import Clinic
from aescrm.mail import composing, postmark
from aescrm.mail.models import MailSettings, SuppressionReason
from aescrm.mail.suppression import suppress
from aescrm.messaging.models import Kind, Message
from aescrm.messaging.providers import ProviderError, Sent

PROVIDER = "postmark"


def outgoing(message: Message, row: MailSettings) -> postmark.Outgoing:
    clinic = Clinic.objects.get(pk=message.clinic_id)
    detail = composing.detail_of(message)
    text, html, unsubscribe = composing.bodies(message, detail, clinic)
    reply_to = composing.reply_address(row, message.conversation)
    marketing = message.kind == Kind.MARKETING
    return postmark.Outgoing(
        to=str(message.to_address),
        from_email=composing.sender(row, clinic),
        subject=str(detail.subject or ""),
        text=text,
        html=html,
        reply_to=[reply_to] if reply_to else [],
        headers=composing.headers(detail, unsubscribe),
        # The attempt key lets a later attempt find this one at Postmark (reconcile).
        metadata={
            postmark.META_MESSAGE: str(message.pk),
            postmark.META_ATTEMPT: message.attempt_key,
        },
        tag=message.kind,
        stream=(row.broadcast_stream if marketing and row.broadcast_stream else row.message_stream),
    )


class EmailProvider:
    name = PROVIDER
    not_configured = "email is not set up for this clinic (Postmark server token and sender)"

    def load_settings(self) -> MailSettings | None:
        return composing.mail_settings()

    def ready(self, row: Any) -> bool:
        return bool(row and row.server_token and row.sender_email)

    def send(self, message: Message, row: Any) -> Sent:
        return postmark.send(row, outgoing(message, row))

    def find_sent(self, message: Message, row: Any, exclude: set[str]) -> Sent | None:
        return postmark.find_sent(
            row, to=str(message.to_address), attempt_key=message.attempt_key, exclude=exclude
        )

    def permanent_reason(self, code: str, fallback: str) -> str:
        return postmark.PERMANENT_CODES.get(code, fallback)

    def failed(self, message: Message, error: ProviderError) -> None:
        if error.code == "406" and message.to_address:
            # Postmark has deactivated the address: stop queuing email to it here too.
            suppress(str(message.to_address), reason=SuppressionReason.INACTIVE, message=message)
