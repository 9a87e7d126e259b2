"""Building an email: subject, threading headers and reply address when it is queued;
text and HTML bodies (from templates) and List-Unsubscribe when it is sent."""

from __future__ import annotations

import re
import secrets
from email.utils import formataddr
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from aescrm.accounts.models import Clinic
from aescrm.core.problems import ValidationFailed
from aescrm.mail.models import EmailDetail, MailSettings, ReplyAddress
from aescrm.mail.unsubscribe import unsubscribe_url
from aescrm.messaging.models import Channel, Conversation, Direction, Kind, Message
from aescrm.notices.configuration import clinic_privacy_notice_url

SUBJECT_MAX = 200
REFERENCES_KEPT = 10
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv)\s*:", re.IGNORECASE)


def mail_settings() -> MailSettings | None:
    return MailSettings.objects.first()


def _domain(row: MailSettings | None) -> str:
    if row and "@" in row.sender_email:
        return row.sender_email.rsplit("@", 1)[1]
    return urlparse(settings.PUBLIC_BASE_URL).hostname or "aescrm.invalid"


def clean_subject(subject: str) -> str:
    # One line: a newline in a header would start another header.
    subject = " ".join((subject or "").split())
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(
            f"a subject may be at most {SUBJECT_MAX} characters", field="subject"
        )
    return subject


def _last_inbound(conversation: Conversation) -> EmailDetail | None:
    return (
        EmailDetail.objects.filter(
            message__conversation=conversation, message__direction=Direction.INBOUND
        )
        .order_by("-created_at")
        .first()
    )


def default_subject(clinic: Clinic, answering: EmailDetail | None) -> str:
    if answering is not None and answering.subject:
        subject = str(answering.subject)
        return clean_subject(subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}")[
            :SUBJECT_MAX
        ]
    return f"Message from {clinic.name}"[:SUBJECT_MAX]


def prepare(
    message: Message, *, clinic: Clinic, subject: str | None, html: str | None
) -> EmailDetail:
    """The email part of a queued message: subject, Message-ID and what it answers."""
    row = mail_settings()
    answering = _last_inbound(message.conversation)
    subject = clean_subject(subject or "") or default_subject(clinic, answering)
    references: list[str] = []
    if answering is not None and answering.header_id:
        references = [*answering.references.split(), answering.header_id][-REFERENCES_KEPT:]
    return EmailDetail.objects.create(
        message=message,
        subject=subject,
        html=html or "",
        header_id=f"<{message.pk.hex}@{_domain(row)}>",
        in_reply_to=answering.header_id if answering is not None else "",
        references=" ".join(references),
        marketing_unsubscribe=message.kind == Kind.MARKETING,
    )


def reply_token(conversation: Conversation) -> str:
    existing = ReplyAddress.objects.filter(conversation=conversation).first()
    if existing is not None:
        return existing.token
    try:
        with transaction.atomic():
            return ReplyAddress.objects.create(
                conversation=conversation, token=secrets.token_hex(12)
            ).token
    except IntegrityError:
        return ReplyAddress.objects.get(conversation=conversation).token


def reply_address(row: MailSettings, conversation: Conversation) -> str:
    """<local>+<token>@<domain> of the clinic's inbound address, or "" if it has none."""
    if "@" not in row.inbound_address:
        return ""
    local, domain = row.inbound_address.rsplit("@", 1)
    return f"{local.split('+', 1)[0]}+{reply_token(conversation)}@{domain}"


def sender(row: MailSettings, clinic: Clinic) -> str:
    return formataddr((row.sender_name or clinic.name, row.sender_email))


def detail_of(message: Message) -> EmailDetail:
    detail = EmailDetail.objects.filter(message=message).first()
    if detail is None:  # queued by something that did not call prepare()
        clinic = Clinic.objects.get(pk=message.clinic_id)
        detail = prepare(message, clinic=clinic, subject=None, html=None)
    return detail


def bodies(message: Message, detail: EmailDetail, clinic: Clinic) -> tuple[str, str, str]:
    """(text, HTML, unsubscribe URL or "") from the mail/email.{txt,html} templates."""
    link = notice = ""
    if message.kind == Kind.MARKETING:
        link = unsubscribe_url(message.clinic_id, message.patient_id)
        notice = clinic_privacy_notice_url(clinic)
    context = {
        "subject": str(detail.subject or ""),
        "text": str(message.body or ""),
        # Already safe: a message template's HTML, its merge values escaped when rendered.
        "html_fragment": mark_safe(str(detail.html or "")),  # noqa: S308
        "clinic_name": clinic.name,
        "unsubscribe_url": link,
        "privacy_notice_url": notice,
    }
    text = render_to_string("mail/email.txt", context)
    html = render_to_string("mail/email.html", context)
    return text, html, link


def headers(detail: EmailDetail, unsubscribe: str) -> dict[str, str]:
    out = {"Message-ID": detail.header_id}
    if detail.in_reply_to:
        out["In-Reply-To"] = detail.in_reply_to
    if detail.references:
        out["References"] = detail.references
    if unsubscribe:
        out["List-Unsubscribe"] = f"<{unsubscribe}>"
        out["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return out


def is_email(message: Message) -> bool:
    return message.channel == Channel.EMAIL
