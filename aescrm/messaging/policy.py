"""May this patient be sent this message now? Checked when queuing and again before sending."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.utils import timezone

from aescrm.billing.state import AccountState, account_state
from aescrm.core.problems import ValidationFailed
from aescrm.messaging.models import Channel, Kind, MessagingSettings
from aescrm.patients.models import ConsentEvent, Patient

DEFAULT_QUIET_START = dt.time(21, 0)
DEFAULT_QUIET_END = dt.time(8, 0)
# Email lights up a phone as a text does: neither goes at night unless urgent.
QUIET_HOURS_CHANNELS = frozenset({Channel.SMS.value, Channel.EMAIL.value})


class MessageRefused(ValidationFailed):
    """A 422 problem with a ``reason`` code saying why the message may not be sent."""

    title = "Message refused"
    type_slug = "message-refused"

    def __init__(self, reason: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail, field=field, reason=reason)
        self.reason = reason


# The reason code of a message held or refused because the clinic's account is read-only
# (docs/decisions/0032); short enough for ``Message.error_code``.
ACCOUNT_READ_ONLY = "read_only"


def account_words(state: AccountState) -> str:
    """How a hold or refusal names the account's state, e.g. "account read-only: canceled"."""
    return f"account read-only: {state.status}"


def account_refusal(
    clinic_id: uuid.UUID, state: AccountState | None = None
) -> MessageRefused | None:
    """Why nothing may be sent for this clinic now (its account is read-only), or None.

    The one gate every send path asks: queuing (``message_queue``), the outbox
    worker before it claims, automations before they take a step, the public
    website's auto-replies. One indexed read of the subscription row.
    """
    state = state or account_state(clinic_id)
    if state.can_send:
        return None
    return MessageRefused(
        ACCOUNT_READ_ONLY,
        f"{account_words(state)}: nothing is sent until the subscription is restored",
    )


def account_allows_sending(clinic_id: uuid.UUID) -> bool:
    return account_refusal(clinic_id) is None


def refusal(patient: Patient, *, channel: str, kind: str) -> MessageRefused | None:
    """Why this message may not go to this patient, or None."""
    if channel not in (Channel.SMS, Channel.EMAIL):
        return MessageRefused(
            "channel_unsupported", f"sending by {channel} is not available yet", field="channel"
        )
    if kind not in Kind.values:
        return MessageRefused("kind_invalid", "kind must be service or marketing", field="kind")
    if patient.restricted:
        return MessageRefused(
            "restricted", "this patient's record is restricted: no messages are sent"
        )
    erased = _erased_refusal(patient, channel)
    if erased is not None:
        return erased
    if channel == Channel.EMAIL:
        return _email_refusal(patient, kind=kind)
    if not patient.phone:
        return MessageRefused("no_phone", "this patient has no phone number", field="patient")
    if kind == Kind.MARKETING and not patient.consent_sms:
        return MessageRefused(
            "no_consent", "this patient has not consented to marketing by SMS", field="kind"
        )
    return None


def _erased_refusal(patient: Patient, channel: str) -> MessageRefused | None:
    """The address belongs to someone who asked to be erased (aescrm.erasure.suppression)."""
    from aescrm.erasure.suppression import suppressed_address

    entry = suppressed_address(patient, channel)
    if entry is None:
        return None
    local = timezone.localtime(entry.created_at)
    what = "phone number" if channel == Channel.SMS else "email address"
    return MessageRefused(
        "erased",
        f"this {what} belongs to a person who asked to be erased on {local.day} "
        f"{local:%B %Y}: nothing is sent to it",
        field="patient",
    )


def _email_refusal(patient: Patient, *, kind: str) -> MessageRefused | None:
    from aescrm.mail.suppression import suppression_of

    if not patient.email:
        return MessageRefused("no_email", "this patient has no email address", field="patient")
    suppressed = suppression_of(patient)
    if suppressed is not None:
        return MessageRefused(
            "suppressed",
            f"this patient's email address is suppressed ({suppressed.get_reason_display().lower()}"
            f" on {suppressed.created_at:%d %b %Y}): no email is sent to it",
            field="patient",
        )
    if kind == Kind.MARKETING and not patient.consent_email:
        return MessageRefused(
            "no_consent", "this patient has not consented to marketing by email", field="kind"
        )
    return None


# How a channel is named in a refusal.
CHANNEL_WORDS = {"sms": "SMS", "email": "email", "call": "phone", "chat": "chat"}


def opt_out_refusal(
    event: ConsentEvent | None, channel: str, tz: zoneinfo.ZoneInfo | None = None
) -> MessageRefused | None:
    """``opted_out`` if ``event`` (the patient's latest for ``channel``) withdrew consent."""
    from aescrm.messaging.webhooks import CONSENT_SOURCE  # webhooks imports this module

    if event is None or event.granted:
        return None
    local = timezone.localtime(event.recorded_at, tz)
    day = f"{local.day} {local:%B %Y}"
    if event.source == CONSENT_SOURCE:
        detail = f"opted out of marketing by replying STOP on {day}"
    else:
        words = CHANNEL_WORDS.get(channel, channel)
        detail = f"withdrew consent to marketing by {words} on {day} ({event.source})"
    return MessageRefused("opted_out", detail, field="kind")


def explained(problem: MessageRefused, patient: Patient, channel: str) -> MessageRefused:
    """A ``no_consent`` refusal told apart from an opt-out, by the consent history.

    One query, so for single messages (queuing, the worker's re-check); lists of
    patients use ``aescrm.inbox.reasons.Explainer``, which loads the history at once.
    """
    if problem.reason != "no_consent":
        return problem
    last = ConsentEvent.objects.filter(patient=patient, channel=channel).order_by("-recorded_at")
    return opt_out_refusal(last.first(), channel) or problem


def check(patient: Patient, *, channel: str, kind: str) -> None:
    """Refuse queuing this message: the clinic's account first, then the patient's wishes."""
    problem = account_refusal(patient.clinic_id) or refusal(patient, channel=channel, kind=kind)
    if problem is not None:
        raise explained(problem, patient, channel)


def window_opens(
    now: dt.datetime, row: MessagingSettings | None, tz: zoneinfo.ZoneInfo
) -> dt.datetime:
    """``now`` if outside quiet hours, else when they end (in the clinic's time zone)."""
    start = row.quiet_start if row else DEFAULT_QUIET_START
    end = row.quiet_end if row else DEFAULT_QUIET_END
    if start == end:
        return now
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if start > end:  # overnight, e.g. 21:00–08:00
        quiet = clock >= start or clock < end
        day = local.date() + dt.timedelta(days=1) if clock >= start else local.date()
    else:
        quiet = start <= clock < end
        day = local.date()
    if not quiet:
        return now
    return dt.datetime.combine(day, end, tzinfo=tz).astimezone(dt.UTC)
