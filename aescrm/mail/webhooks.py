"""Postmark webhooks: inbound email and delivery / bounce / complaint / open events.

Each clinic gives Postmark its own webhook login (HTTP basic auth, from the
email settings page); the user name finds the clinic and the password is
compared in constant time. Wrong or missing credentials get 401 and nothing is
stored. Both hooks are idempotent: an inbound MessageID is stored once, and an
event already applied (WebhookReceipt) changes nothing when Postmark retries.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import uuid
from typing import Any

from anymail.signals import EventType
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aescrm.audit.context import Actor, acting_as
from aescrm.audit.services import audit_record
from aescrm.billing import usage
from aescrm.core.problems import DomainError
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.mail import inbound as inbound_mail
from aescrm.mail import postmark
from aescrm.mail.consent import withdraw_email_marketing
from aescrm.mail.models import MailSettings, SuppressionReason, WebhookReceipt
from aescrm.mail.provider import PROVIDER
from aescrm.mail.suppression import suppress
from aescrm.messaging.models import Message, Status
from aescrm.messaging.webhooks import RANK, webhook_caller

logger = logging.getLogger(__name__)

ACTOR = Actor(type="system", label="Postmark webhook")
MAX_BODY = 10 * 1024 * 1024  # Postmark inbound with attachments can be large
# Bounce types after which the address gets no more email.
SUPPRESSING_BOUNCES = {
    "HardBounce": SuppressionReason.HARD_BOUNCE,
    "BadEmailAddress": SuppressionReason.HARD_BOUNCE,
    "SpamComplaint": SuppressionReason.SPAM_COMPLAINT,
    "SpamNotification": SuppressionReason.SPAM_COMPLAINT,
}
# Any webhook login is checked against this when the user name is unknown, so a
# wrong user name costs the same as a wrong password.
_DUMMY_PASSWORD = "not-a-real-postmark-webhook-password"


class _EventParser(PostmarkTrackingWebhookView):
    warn_if_no_basic_auth = False


def unauthorised() -> HttpResponse:
    response = HttpResponse("Unauthorised", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="AES-CRM Postmark webhooks", charset="UTF-8"'
    return response


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep and user else None


def authenticated_clinic(request: HttpRequest) -> MailSettings | None:
    """The settings of the clinic whose webhook login this request carries, or None."""
    credentials = _credentials(request)
    if credentials is None:
        return None
    user, password = credentials
    with unscoped("postmark webhook: find the clinic by its webhook user"):
        row = MailSettings.objects.filter(webhook_user=user).exclude(webhook_user="").first()
    if row is None:
        constant_time_compare(password, _DUMMY_PASSWORD)
        return None
    with clinic_scope(row.clinic_id):
        stored = str(row.webhook_password or "")
    if not stored or not constant_time_compare(password, stored):
        return None
    return row


def _payload(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BODY:
        return None
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _bad(detail: str) -> JsonResponse:
    return JsonResponse({"error": detail}, status=400)


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    row = authenticated_clinic(request)
    if row is None:
        return unauthorised()
    payload = _payload(request)
    if payload is None:
        return _bad("the body must be Postmark's inbound JSON")
    try:
        email = inbound_mail.parse(payload)
    except ValueError as exc:
        return _bad(f"not an inbound email: {exc}")
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        try:
            inbound_mail.record(caller=webhook_caller(row.clinic_id), inbound=email)
        except DomainError as exc:
            # e.g. a sender address our validation refuses: answer 200 so Postmark
            # does not retry for ever, but say so in the log.
            logger.warning("inbound email not stored for clinic %s: %s", row.clinic_id, exc.detail)
    return HttpResponse("OK", content_type="text/plain")


def _receipt_key(payload: dict[str, Any]) -> str:
    parts = [
        str(payload.get("RecordType") or ""),
        str(payload.get("ID") or payload.get("MessageID") or ""),
        str(payload.get("Type") or ""),
        str(
            payload.get("DeliveredAt")
            or payload.get("BouncedAt")
            or payload.get("ReceivedAt")
            or payload.get("ChangedAt")
            or ""
        ),
    ]
    return "|".join(parts)[:120]


def _message_for(message_id: str, metadata: dict[str, Any]) -> Message | None:
    message = None
    if message_id:
        message = (
            Message.objects.select_for_update()
            .filter(provider=PROVIDER, provider_id=message_id)
            .first()
        )
    if message is None and metadata.get(postmark.META_MESSAGE):
        # The worker died after Postmark took the email: the event is the reconciliation.
        candidate = (
            Message.objects.select_for_update()
            .filter(pk=str(metadata[postmark.META_MESSAGE]), provider_id="")
            .first()
            if _is_uuid(str(metadata[postmark.META_MESSAGE]))
            else None
        )
        if candidate is not None and candidate.attempt_key == metadata.get(postmark.META_ATTEMPT):
            message = candidate
            message.provider, message.provider_id = PROVIDER, message_id
            message.sent_at = message.sent_at or timezone.now()
            message.next_attempt_at = None
            message.claimed_until = None
            if message.status in (Status.QUEUED, Status.SENDING):
                message.status = Status.SENT
            message.save(
                update_fields=[
                    "provider",
                    "provider_id",
                    "sent_at",
                    "next_attempt_at",
                    "claimed_until",
                    "status",
                    "updated_at",
                ]
            )
            # Postmark took it: counted here or by the worker, whichever is first (0033).
            usage.count_message_accepted(message)
    return message


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _move(message: Message, new: str, **fields: Any) -> None:
    if RANK.get(new, 0) <= RANK.get(message.status, 0):
        return
    changed = {"status": new, **fields}
    for name, value in changed.items():
        setattr(message, name, value)
    message.save(update_fields=[*changed, "updated_at"])
    audit_record(
        "message.status",
        object_type="message",
        object_id=message.pk,
        detail={"status": new, "fields": sorted(changed)},
    )


def apply_event(row: MailSettings, payload: dict[str, Any]) -> None:
    """One Postmark event in the active clinic (inside a transaction)."""
    event = _EventParser().esp_to_anymail_event(payload)
    message = _message_for(str(event.message_id or ""), event.metadata or {})
    bounce_type = str(payload.get("Type") or "")
    address = str(event.recipient or "")
    when = event.timestamp or timezone.now()
    if event.event_type == EventType.DELIVERED and message is not None:
        _move(message, Status.DELIVERED, delivered_at=when)
    elif event.event_type == EventType.OPENED and message is not None:
        _move(message, Status.READ, read_at=when)
    elif payload.get("RecordType") in ("Bounce", "SpamComplaint"):
        reason = SUPPRESSING_BOUNCES.get(bounce_type)
        if payload.get("RecordType") == "SpamComplaint":
            reason = SuppressionReason.SPAM_COMPLAINT
        if message is not None and reason == SuppressionReason.HARD_BOUNCE:
            description = str(payload.get("Description") or payload.get("Name") or bounce_type)
            _move(
                message,
                Status.UNDELIVERED,
                error_code=bounce_type[:16],
                error_reason=f"Postmark: {description}"[:500],
            )
        if reason is not None and address:
            suppress(address, reason=reason, message=message)
        if reason == SuppressionReason.SPAM_COMPLAINT and address:
            withdraw_email_marketing(
                row.clinic_id,
                address,
                source="email complaint",
                wording="Marked a marketing email as spam",
            )
    elif event.event_type == EventType.UNSUBSCRIBED and address:
        # Postmark's own unsubscribe link (broadcast streams) or a manual suppression.
        withdraw_email_marketing(
            row.clinic_id,
            address,
            source="email unsubscribe",
            wording="Unsubscribed through Postmark's unsubscribe link",
        )


@csrf_exempt
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    row = authenticated_clinic(request)
    if row is None:
        return unauthorised()
    payload = _payload(request)
    if payload is None or not payload.get("RecordType"):
        return _bad("the body must be one Postmark webhook event (JSON with a RecordType)")
    if payload["RecordType"] == "Inbound":
        return _bad("this is the events webhook: send inbound email to /webhooks/postmark/inbound")
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        try:
            with transaction.atomic():
                WebhookReceipt.objects.create(key=_receipt_key(payload))
                apply_event(row, payload)
        except IntegrityError:
            pass  # applied before: Postmark retried or replayed it
    return HttpResponse("OK", content_type="text/plain")
