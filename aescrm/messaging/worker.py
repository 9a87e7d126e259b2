"""Sending due outbound messages: claim, re-check, reconcile, send, record.

Same pattern as ``aescrm.conversions.worker``: a short transaction claims due
rows (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL) and stamps a lease;
sending happens outside it. Before each provider call the row is marked
``sending`` with a fresh ``attempt_key`` and committed, so a worker that dies
between the call and the update leaves a row that the next claim reconciles
with the provider before sending again (docs/decisions/0013). Each channel's
provider is an adapter from ``providers`` (SMS: Twilio; email: Postmark,
docs/decisions/0016).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.audit.services import audit_record
from aescrm.billing import limits, usage
from aescrm.core.tenancy import clinic_scope, current_clinic_id, unscoped
from aescrm.messaging import policy, throttle
from aescrm.messaging.models import Channel, Direction, Message, MessagingSettings, Status
from aescrm.messaging.providers import ProviderError, Sent, provider_for
from aescrm.messaging.services import settings_of_clinic

logger = logging.getLogger(__name__)

# How long a claim holds (MESSAGING_LEASE_SECONDS; settings keep it above two HTTP timeouts).
LEASE = dt.timedelta(seconds=settings.MESSAGING_LEASE_SECONDS)
BATCH = 100
MAX_BATCHES = 20
PENDING = (Status.QUEUED, Status.SENDING)


def _unclaimed(now: dt.datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def retry_delay(attempts: int) -> dt.timedelta:
    base = settings.MESSAGING_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def status_callback_url(message: Message) -> str:
    query = urlencode({"m": str(message.pk), "k": message.attempt_key})
    return f"{settings.PUBLIC_BASE_URL}{reverse('messaging:twilio_status')}?{query}"


def clinics_with_due_messages(now: dt.datetime) -> list[uuid.UUID]:
    with unscoped("messaging: find the clinics with messages due"):
        return list(
            Message.objects.filter(
                direction=Direction.OUTBOUND, status__in=PENDING, next_attempt_at__lte=now
            )
            .filter(_unclaimed(now))
            .order_by()
            .values_list("clinic_id", flat=True)
            .distinct()
        )


def claim(now: dt.datetime, limit: int = BATCH) -> list[Message]:
    with transaction.atomic():
        due = (
            Message.objects.filter(
                direction=Direction.OUTBOUND, status__in=PENDING, next_attempt_at__lte=now
            )
            .filter(_unclaimed(now))
            .order_by("next_attempt_at", "created_at")
        )
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(claimed_until=now + LEASE, updated_at=now)
    return list(
        Message.objects.filter(pk__in=ids)
        .select_related("patient")
        .order_by("next_attempt_at", "created_at")
    )


def _save(message: Message, **fields: object) -> None:
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(update_fields=[*fields, "updated_at"])


def _audit(message: Message, action: str, **detail: object) -> None:
    audit_record(
        action,
        object_type="message",
        object_id=message.pk,
        detail={"patient": str(message.patient_id), **detail},
    )


@transaction.atomic
def _sent(message: Message, sent: Sent, now: dt.datetime, provider: str) -> None:
    _save(
        message,
        status=Status.SENT,
        provider=provider,
        provider_id=sent.sid,
        sent_at=now,
        next_attempt_at=None,
        claimed_until=None,
        error_code="",
        error_reason="",
    )
    # Counted with the row that records it, and only the first time (0033).
    usage.count_message_accepted(message, now=now)
    _audit(message, "message.sent", provider=provider)


@transaction.atomic
def _failed(message: Message, code: str, reason: str) -> None:
    _save(
        message,
        status=Status.FAILED,
        error_code=code[:16],
        error_reason=reason[:500],
        next_attempt_at=None,
        claimed_until=None,
    )
    _audit(message, "message.failed", error_code=code[:16])


def _retry_or_fail(message: Message, exc: ProviderError, now: dt.datetime) -> None:
    if message.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
        _failed(message, exc.code, f"{exc.message} — gave up after {message.attempts} attempts")
        return
    # Still "sending" with its attempt key: the next claim asks the provider first,
    # since a timeout does not say whether the message went.
    _save(
        message,
        next_attempt_at=now + retry_delay(message.attempts),
        claimed_until=None,
        error_code=exc.code[:16],
        error_reason=exc.message[:500],
    )


def hold_for_account(problem: policy.MessageRefused, now: dt.datetime) -> int:
    """The clinic's account is read-only: its due messages stay queued, not sent and not lost,
    each marked once with why (the outbox shows it). Reactivation sends or drops them."""
    held = (
        Message.objects.filter(
            direction=Direction.OUTBOUND,
            status=Status.QUEUED,
            next_attempt_at__lte=now,
        )
        .filter(_unclaimed(now))
        .exclude(error_code=policy.ACCOUNT_READ_ONLY)
        .update(
            error_code=policy.ACCOUNT_READ_ONLY,
            error_reason=f"{problem.detail} (held, not sent)"[:500],
            updated_at=now,
        )
    )
    if held:
        logger.info("%s: %d messages held, not sent", problem.detail, held)
    return held


def _stale_after_hold(message: Message, now: dt.datetime) -> str | None:
    """Why a message held while the account was read-only is now too late to send, or None.

    A reminder is judged by its automation run's own "too late" moment; anything
    else may still go within ``MESSAGING_HELD_MAX_HOURS`` of being queued.
    """
    from aescrm.automation.models import RunLog

    log = (
        RunLog.objects.filter(message=message, run__latest_at__isnull=False)
        .select_related("run")
        .first()
    )
    if log is not None and log.run is not None and log.run.latest_at is not None:
        if now > log.run.latest_at:
            return "its moment passed while the account was read-only: not sent late"
        return None
    if now - message.created_at > dt.timedelta(hours=settings.MESSAGING_HELD_MAX_HOURS):
        return (
            f"held more than {settings.MESSAGING_HELD_MAX_HOURS} hours while the account was "
            "read-only: not sent late"
        )
    return None


def _recheck(
    message: Message,
    row: MessagingSettings | None,
    tz: object,
    now: dt.datetime,
    budget: throttle.NumberBudget,
) -> bool:
    """Policy, quiet hours and sending limits again, just before sending. True to send."""
    message.patient.refresh_from_db()
    if message.error_code == policy.ACCOUNT_READ_ONLY and message.status == Status.QUEUED:
        stale = _stale_after_hold(message, now)
        if stale is not None:
            _failed(message, "too_late", stale)
            return False
    problem = policy.refusal(message.patient, channel=message.channel, kind=message.kind)
    if problem is not None:
        problem = policy.explained(problem, message.patient, message.channel)
        _failed(message, problem.reason, problem.detail)
        return False
    held = message.channel in policy.QUIET_HOURS_CHANNELS and not message.urgent
    opens = policy.window_opens(now, row, tz) if held else now  # type: ignore[arg-type]
    if opens > now:
        _save(message, next_attempt_at=opens, send_after=opens, claimed_until=None)
        return False
    # A message already "sending" is being reconciled, not sent anew: it was counted.
    if message.status == Status.QUEUED:
        if held_by_limit(message, now):
            return False
        until = throttle.recipient_hold_until(message, now) or budget.hold_until(message, now)
        if until is not None:
            _save(message, next_attempt_at=until, send_after=until, claimed_until=None)
            return False
    return True


def held_by_limit(message: Message, now: dt.datetime) -> bool:
    """Hold a queued message while its channel's plan limit is reached (not dropped).

    It waits until the period resets; ``release_held`` brings it forward when the
    plan changes or the owner allows overage. The reason names the limit.
    """
    decision = limits.message_gate(message.clinic_id, message.channel, now=now)
    if decision.allowed:
        if message.error_code == limits.HELD_CODE:
            _save(message, error_code="", error_reason="")  # released: no longer the reason
        return False
    first = message.error_code != limits.HELD_CODE
    with transaction.atomic():
        _save(
            message,
            next_attempt_at=decision.resets_at,
            send_after=decision.resets_at,
            claimed_until=None,
            error_code=limits.HELD_CODE,
            error_reason=decision.reason[:500],
        )
        if first:
            _audit(message, "message.held", reason=limits.HELD_CODE, metric=decision.metric)
    if first:
        logger.warning("message %s held: %s", message.pk, decision.reason)
    return True


def _begin(message: Message, now: dt.datetime) -> bool:
    """Mark the attempt before calling out; committed (autocommit) before the call.

    Only while this worker's claim stands (its ``claimed_until`` and the last
    attempt key unchanged): False if another worker took the row over after
    the lease ran out, which then sends it (or has sent it) instead.
    """
    fields = {
        "status": Status.SENDING,
        "attempt_key": uuid.uuid4().hex,
        "attempt_started_at": now,
        "attempts": message.attempts + 1,
        "claimed_until": now + LEASE,
        "updated_at": timezone.now(),
    }
    still_ours = Message.objects.filter(
        pk=message.pk, claimed_until=message.claimed_until, attempt_key=message.attempt_key
    ).update(**fields)
    if not still_ours:
        logger.warning("message %s was taken over by another worker: not sent here", message.pk)
        return False
    for name, value in fields.items():
        setattr(message, name, value)
    return True


def reconcile(message: Message, row: Any, now: dt.datetime) -> bool:
    """A previous attempt may have reached the provider: True if it did (now recorded as sent)."""
    if message.status != Status.SENDING or not message.attempt_key:
        return False
    provider = provider_for(message.channel)
    if provider is None:
        return False
    recorded = set(
        Message.objects.filter(provider=provider.name, patient_id=message.patient_id)
        .exclude(provider_id="")
        .values_list("provider_id", flat=True)
    )
    found = provider.find_sent(message, row, recorded)
    if found is None:
        return False
    _sent(message, found, now, provider.name)
    return True


def send_one(message: Message, row: Any, now: dt.datetime) -> None:
    """Send one claimed message; ``row`` is the clinic's settings for its channel."""
    provider = provider_for(message.channel)
    if provider is None:
        _failed(message, "channel_unsupported", f"nothing sends {message.channel} messages")
        return
    if settings.MESSAGING_MODE == "console":
        if not _begin(message, now):
            return
        logger.info("console mode: %s %s recorded as sent, not sent", message.channel, message.pk)
        _sent(message, Sent(sid=f"console-{message.pk.hex}", status="sent"), now, "console")
        return
    if row is None or not provider.ready(row):
        _failed(message, "not_configured", provider.not_configured)
        return
    try:
        if reconcile(message, row, now):
            return
        if not _begin(message, now):
            return
        sent = provider.send(message, row)
    except ProviderError as exc:
        if exc.retryable:
            _retry_or_fail(message, exc, now)
        else:
            _failed(
                message, exc.code or "rejected", provider.permanent_reason(exc.code, exc.message)
            )
            provider.failed(message, exc)
        return
    _sent(message, sent, now, provider.name)


def _channel_settings(message: Message, rows: dict[str, Any]) -> Any:
    if message.channel not in rows:
        provider = provider_for(message.channel)
        rows[message.channel] = provider.load_settings() if provider else None
    return rows[message.channel]


def process_clinic(now: dt.datetime | None = None) -> int:
    """Send the active clinic's due messages. ``now`` fixes the clock (tests); without it
    each claim and each message reads the clock, so a long run's leases stay true."""
    clock = (lambda: now) if now is not None else timezone.now
    blocked = policy.account_refusal(current_clinic_id())
    if blocked is not None:
        hold_for_account(blocked, clock())
        return 0
    row = settings_of_clinic()
    rows: dict[str, Any] = {Channel.SMS: row}
    clinic = Clinic.objects.get(pk=current_clinic_id())
    budget = throttle.NumberBudget.for_clinic(clock())
    count = 0
    for _ in range(MAX_BATCHES):
        claimed = claim(clock())
        if not claimed:
            break
        for message in claimed:
            at = clock()
            if _recheck(message, row, clinic.tz, at, budget):
                send_one(message, _channel_settings(message, rows), at)
                count += 1
    return count


def process_all(now: dt.datetime | None = None) -> int:
    total = 0
    for clinic_id in clinics_with_due_messages(now or timezone.now()):
        with clinic_scope(clinic_id):
            try:
                total += process_clinic(now)
            except Exception:
                logger.exception("sending messages failed for clinic %s", clinic_id)
    return total
