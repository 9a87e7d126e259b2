"""Twilio webhooks: inbound SMS and delivery status. Signature first, idempotent, fast.

The clinic is found by the number the message was sent to (inbound) or by the
message id we put in the StatusCallback URL (status); the request must be
signed with that clinic's auth token for the public URL Twilio called
(``PUBLIC_BASE_URL`` + path and query, so it holds behind a proxy). Anything
else is 403 and nothing is stored.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Scope
from aescrm.audit.context import Actor, acting_as
from aescrm.audit.services import audit_record
from aescrm.billing import usage
from aescrm.core.problems import DomainError
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.messaging import leads, services
from aescrm.messaging.models import Kind, Message, MessagingSettings, Status
from aescrm.patients import services as patient_services
from aescrm.patients.models import EnquiryChannel, Patient
from aescrm.patients.normalise import clean_phone

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP"}
CONSENT_SOURCE = "sms keyword"
PROVIDER = "twilio"
ACTOR = Actor(type="system", label="Twilio webhook")

# Twilio's MessageStatus values mapped onto ours (others change nothing).
STATUS_MAP = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
    "read": Status.READ,
}
# Statuses that a later callback may still move on from (callbacks can arrive out of order).
RANK: dict[str, int] = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.UNDELIVERED: 3,
    Status.FAILED: 3,
    Status.READ: 4,
}


def twiml() -> HttpResponse:
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def forbidden() -> HttpResponse:
    return HttpResponse("Forbidden", status=403, content_type="text/plain")


def public_url(request: HttpRequest) -> str:
    return f"{settings.PUBLIC_BASE_URL}{request.get_full_path()}"


def signed(request: HttpRequest, row: MessagingSettings | None) -> bool:
    if row is None or not row.twilio_auth_token:
        return False
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = RequestValidator(str(row.twilio_auth_token))
    return bool(validator.validate(public_url(request), request.POST.dict(), signature))


def webhook_caller(clinic_id: uuid.UUID) -> Caller:
    return Caller(
        clinic_id=clinic_id,
        scopes=(
            Scope.PATIENTS_WRITE.value,
            Scope.ENQUIRIES_WRITE.value,
            Scope.MESSAGES_WRITE.value,
        ),
    )


def settings_for_number(number: str) -> MessagingSettings | None:
    if not number:
        return None
    with unscoped("twilio webhook: find the clinic that owns the number"):
        return MessagingSettings.objects.filter(sending_number=number).first()


def _patient_for(caller: Caller, phone: str, body: str) -> Patient:
    return leads.patient_for_phone(caller, phone, channel=EnquiryChannel.SMS, enquiry=body)


def handle_keyword(patient: Patient, body: str) -> None:
    """STOP/START/HELP in the active clinic, as the webhook does (also for console replies)."""
    from aescrm.core.tenancy import current_clinic_id

    clinic_id = current_clinic_id()
    row = MessagingSettings.objects.first() or MessagingSettings(sending_number="")
    _keyword(webhook_caller(clinic_id), patient, body, Clinic.objects.get(pk=clinic_id), row)


def _keyword(
    caller: Caller, patient: Patient, body: str, clinic: Clinic, row: MessagingSettings
) -> None:
    word = body.strip().upper()
    if word in STOP_WORDS or word in START_WORDS:
        patient_services.patient_update(
            caller=caller,
            patient=patient,
            data=patient_services.PatientInput(consent={"sms": word in START_WORDS}),
            consent_source=CONSENT_SOURCE,
            consent_wording=f"Replied {word} by SMS",
        )
    elif word in HELP_WORDS:
        contact = row.help_contact or f"call or text {row.sending_number}"
        reply = f"{clinic.name}: {contact}. Reply STOP to stop marketing texts."
        try:
            services.message_queue(
                caller=caller, patient=patient, body=reply, kind=Kind.SERVICE, urgent=True
            )
        except DomainError as exc:
            logger.info("no HELP reply to patient %s: %s", patient.pk, exc.detail)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    row = settings_for_number(request.POST.get("To", ""))
    if not signed(request, row):
        return forbidden()
    assert row is not None
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    body = request.POST.get("Body", "")
    try:
        phone = clean_phone(request.POST.get("From", ""))
    except ValueError:
        return twiml()  # a short code or alphanumeric sender: nothing to thread it to
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        if sid and services.provider_id_stored(PROVIDER, sid):
            return twiml()  # a replay: stored already
        clinic = Clinic.objects.get(pk=row.clinic_id)
        caller = webhook_caller(row.clinic_id)
        with transaction.atomic():
            patient = _patient_for(caller, phone, body)
            message = services.record_inbound(
                patient=patient,
                body=body,
                from_address=phone,
                to_address=row.sending_number,
                provider=PROVIDER,
                provider_id=sid,
            )
            if message is not None:
                _keyword(caller, patient, body, clinic, row)
    return twiml()


@csrf_exempt
@require_POST
def signature_check_only(request: HttpRequest) -> HttpResponse:
    """Benchmarks only (``AESCRM_BENCH_ENDPOINTS``): the inbound webhook's first step —
    the clinic by its number, the signature with its token — then empty TwiML."""
    row = settings_for_number(request.POST.get("To", ""))
    if not signed(request, row):
        return forbidden()
    return twiml()


@csrf_exempt
@require_POST
def status_callback(request: HttpRequest) -> HttpResponse:
    try:
        message_id = uuid.UUID(request.GET.get("m", ""))
    except ValueError:
        return forbidden()
    with unscoped("twilio status callback: find the message's clinic"):
        clinic_id = (
            Message.objects.filter(pk=message_id).values_list("clinic_id", flat=True).first()
        )
        row = MessagingSettings.objects.filter(clinic_id=clinic_id).first() if clinic_id else None
    if not signed(request, row):
        return forbidden()
    assert row is not None
    sid = request.POST.get("MessageSid", "")
    new = STATUS_MAP.get(request.POST.get("MessageStatus", ""))
    with clinic_scope(row.clinic_id), acting_as(ACTOR), transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return twiml()
        changed: dict[str, object] = {}
        if not message.provider_id and sid and request.GET.get("k") == message.attempt_key:
            # The worker died after Twilio took the message: this is the reconciliation.
            changed.update(provider=PROVIDER, provider_id=sid, claimed_until=None)
            changed.update(next_attempt_at=None, sent_at=message.sent_at or timezone.now())
            if new is None:
                new = Status.SENT
        if message.provider_id and message.provider_id != sid:
            return twiml()  # about another attempt: ignore
        if new is not None and RANK.get(new, 0) > RANK.get(message.status, 0):
            changed["status"] = new
            if new == Status.DELIVERED:
                changed["delivered_at"] = timezone.now()
            if new in (Status.FAILED, Status.UNDELIVERED):
                changed["error_code"] = request.POST.get("ErrorCode", "")[:16]
                changed["error_reason"] = f"Twilio reported {new}"
        if changed:
            for name, value in changed.items():
                setattr(message, name, value)
            message.save(update_fields=[*changed, "updated_at"])
            if "provider_id" in changed:
                # Twilio took it: counted here or by the worker, whichever is first (0033).
                usage.count_message_accepted(message)
            audit_record(
                "message.status",
                object_type="message",
                object_id=message.pk,
                detail={"status": message.status, "fields": sorted(changed)},
            )
    return twiml()
