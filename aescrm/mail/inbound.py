"""Inbound email: parse Postmark's JSON (through anymail), thread it, store it once.

Threading, first match wins: the reply token in the address it was sent to
(``reply+<token>@…``, Postmark's ``MailboxHash``); the ``In-Reply-To`` /
``References`` ids of an email we sent; the sender's address (blind index) to a
patient's email conversation. Otherwise the sender becomes a new lead with an
email enquiry, as an unknown number does for SMS.
"""

from __future__ import annotations

import html as html_lib
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from aescrm.accounts.caller import Caller
from aescrm.audit.services import audit_record
from aescrm.mail.composing import reply_token
from aescrm.mail.models import EmailDetail, ReplyAddress
from aescrm.mail.provider import PROVIDER
from aescrm.messaging.models import Channel, Conversation, Direction, Message, Status
from aescrm.messaging.services import conversation_for
from aescrm.patients import services as patient_services
from aescrm.patients.models import EnquiryChannel, Patient, Stage
from aescrm.public.services import find_patient

logger = logging.getLogger(__name__)

TEXT_MAX = 20000
HEADER_MAX = 255


class _Parser(PostmarkInboundWebhookView):
    # Only its parsing is used: our views check each clinic's credentials first.
    warn_if_no_basic_auth = False


@dataclass
class Inbound:
    provider_id: str
    from_email: str
    from_name: str = ""
    to: str = ""
    mailbox_hash: str = ""
    subject: str = ""
    text: str = ""
    header_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)


def _mailbox_hash(payload: dict[str, Any]) -> str:
    if payload.get("MailboxHash"):
        return str(payload["MailboxHash"])
    for recipient in payload.get("ToFull") or []:
        if isinstance(recipient, dict) and recipient.get("MailboxHash"):
            return str(recipient["MailboxHash"])
    return ""


def parse(payload: dict[str, Any]) -> Inbound:
    """Postmark's inbound JSON as we need it; ValueError if it is not an inbound email."""
    try:
        message = _Parser().esp_to_anymail_event(payload).message
    except Exception as exc:  # anymail raises configuration errors for other record types
        raise ValueError(str(exc)) from exc
    sender = message.from_email
    if sender is None or not sender.addr_spec:
        raise ValueError("the email has no sender address")
    stripped = str(message.stripped_text or "").strip()
    text = stripped or str(message.text or "").strip()
    if not text and message.html:
        text = html_lib.unescape(strip_tags(str(message.html))).strip()
    return Inbound(
        provider_id=str(payload.get("MessageID") or ""),
        from_email=sender.addr_spec.strip().lower(),
        from_name=sender.display_name or "",
        to=str(payload.get("OriginalRecipient") or payload.get("To") or ""),
        mailbox_hash=_mailbox_hash(payload),
        subject=" ".join(str(message.subject or "").split()),
        text=text[:TEXT_MAX] or "(no text)",
        header_id=str(message.get("Message-ID") or "").strip()[:HEADER_MAX],
        in_reply_to=str(message.get("In-Reply-To") or "").strip()[:HEADER_MAX],
        references=str(message.get("References") or "").split(),
    )


def _by_headers(ids: list[str]) -> Conversation | None:
    if not ids:
        return None
    detail = (
        EmailDetail.objects.filter(header_id__in=ids, message__direction=Direction.OUTBOUND)
        .select_related("message__conversation")
        .order_by("-created_at")
        .first()
    )
    if detail is not None:
        return detail.message.conversation
    # Postmark may replace our Message-ID with <its MessageID@mtasv.net>.
    postmark_ids = [i.strip("<>").split("@", 1)[0] for i in ids if "@" in i]
    sent = (
        Message.objects.filter(
            provider=PROVIDER, provider_id__in=postmark_ids, direction=Direction.OUTBOUND
        )
        .select_related("conversation")
        .first()
    )
    return sent.conversation if sent is not None else None


def thread(inbound: Inbound) -> Conversation | None:
    if inbound.mailbox_hash:
        address = (
            ReplyAddress.objects.filter(token=inbound.mailbox_hash)
            .select_related("conversation")
            .first()
        )
        if address is not None:
            return address.conversation
    found = _by_headers([i for i in [inbound.in_reply_to, *inbound.references] if i])
    if found is not None:
        return found
    patient = find_patient(inbound.from_email, "")
    return conversation_for(patient, Channel.EMAIL) if patient is not None else None


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "Unknown", "(email enquiry)"
    return parts[0][:100], " ".join(parts[1:])[:100] or "(email enquiry)"


def _new_lead(caller: Caller, inbound: Inbound) -> Patient:
    first, last = _split_name(inbound.from_name)
    patient = patient_services.patient_create(
        caller=caller,
        data=patient_services.PatientInput(
            first_name=first, last_name=last, email=inbound.from_email, stage=Stage.LEAD
        ),
        self_initiated=True,  # they emailed the clinic
    )
    enquiry = f"{inbound.subject}\n\n{inbound.text}" if inbound.subject else inbound.text
    patient_services.enquiry_create(
        caller=caller,
        patient=patient,
        channel=EnquiryChannel.EMAIL,
        message=enquiry[: patient_services.TEXT_MAX],
    )
    return patient


def record(*, caller: Caller, inbound: Inbound, provider: str = PROVIDER) -> Message | None:
    """Store one inbound email in the active clinic; None for a replay (same MessageID)."""
    if (
        inbound.provider_id
        and Message.objects.filter(provider=provider, provider_id=inbound.provider_id).exists()
    ):
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            conversation = thread(inbound)
            if conversation is None:
                conversation = conversation_for(_new_lead(caller, inbound), Channel.EMAIL)
            message = Message.objects.create(
                conversation=conversation,
                patient_id=conversation.patient_id,
                channel=Channel.EMAIL,
                direction=Direction.INBOUND,
                body=inbound.text,
                from_address=inbound.from_email,
                to_address=inbound.to,
                status=Status.RECEIVED,
                provider=provider,
                provider_id=inbound.provider_id,
            )
            EmailDetail.objects.create(
                message=message,
                subject=inbound.subject,
                header_id=inbound.header_id,
                in_reply_to=inbound.in_reply_to,
                references=" ".join(inbound.references[-10:])[:2000],
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=now, unread_count=F("unread_count") + 1
            )
            audit_record(
                "message.receive",
                object_type="message",
                object_id=message.pk,
                detail={
                    "patient": str(conversation.patient_id),
                    "channel": Channel.EMAIL,
                    "provider": provider,
                },
            )
            from aescrm.automation.inbound import received

            received(message, now=now)
    except IntegrityError:
        return None  # the same MessageID arrived twice at once
    return message


def simulate_reply(*, caller: Caller, message: Message, body: str) -> Message | None:
    """Console mode: a staff member plays the patient answering this email."""
    from aescrm.mail.composing import detail_of

    text = (body or "").strip()
    if not text:
        from aescrm.core.problems import ValidationFailed

        raise ValidationFailed("a message needs some text", field="body")
    detail = detail_of(message)
    subject = str(detail.subject or "")
    patient = message.patient
    inbound = Inbound(
        provider_id=f"console-in-{uuid.uuid4().hex}",
        from_email=str(patient.email or message.to_address or ""),
        from_name=patient.full_name,
        to=str(message.from_address or ""),
        mailbox_hash=reply_token(message.conversation),
        subject=subject if subject.lower().startswith("re:") else f"Re: {subject}",
        text=text[:TEXT_MAX],
        header_id=f"<{uuid.uuid4().hex}@console.invalid>",
        in_reply_to=detail.header_id,
        references=[detail.header_id] if detail.header_id else [],
    )
    return record(caller=caller, inbound=inbound, provider="console")
