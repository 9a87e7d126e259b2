"""Writes: a clinic's email settings, its webhook login, the connection check, and
unsubscribing from a link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.context import Actor, acting_as
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.mail import postmark
from aescrm.mail.composing import mail_settings
from aescrm.mail.consent import withdraw_for_patient
from aescrm.mail.models import MailSettings
from aescrm.mail.unsubscribe import read_token
from aescrm.patients.models import Patient
from aescrm.patients.normalise import clean_email

STREAM_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass
class MailSettingsInput:
    server_token: str | None = None  # None keeps the saved token
    sender_email: str = ""
    sender_name: str = ""
    inbound_address: str = ""
    message_stream: str = "outbound"
    broadcast_stream: str = ""


def _address(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return clean_email(value)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field=field) from exc


def _stream(value: str, field: str) -> str:
    value = value.strip().lower()
    if value and (len(value) > 50 or not set(value) <= STREAM_CHARS):
        raise ValidationFailed(
            "a message stream id is letters, digits, '-' and '_' (e.g. outbound)", field=field
        )
    return value


def _line(value: str, field: str, limit: int) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise ValidationFailed(f"at most {limit} characters", field=field)
    return value


def _new_webhook_login(row: MailSettings) -> None:
    row.webhook_user = f"pm-{secrets.token_hex(6)}"
    row.webhook_password = secrets.token_urlsafe(24)


def settings_set(*, caller: Caller, data: MailSettingsInput) -> MailSettings:
    caller.require(Perm.EMAIL_SETTINGS_MANAGE)
    sender_email = _address(data.sender_email, "sender_email")
    inbound_address = _address(data.inbound_address, "inbound_address")
    sender_name = _line(data.sender_name, "sender_name", 100)
    message_stream = _stream(data.message_stream, "message_stream") or "outbound"
    broadcast_stream = _stream(data.broadcast_stream, "broadcast_stream")
    token = data.server_token.strip() if data.server_token is not None else None
    if token is not None and token and (len(token) > 200 or any(c.isspace() for c in token)):
        raise ValidationFailed(
            "that does not look like a Postmark server token", field="server_token"
        )
    with transaction.atomic():
        row = mail_settings() or MailSettings()
        changed = []
        for name, value in (
            ("sender_email", sender_email),
            ("sender_name", sender_name),
            ("inbound_address", inbound_address),
            ("message_stream", message_stream),
            ("broadcast_stream", broadcast_stream),
        ):
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed.append(name)
        if token:
            row.server_token = token
            row.checked_at, row.check_ok, row.check_detail = None, False, ""
            changed.append("server_token")
        if not row.webhook_user:
            _new_webhook_login(row)
            changed.append("webhook_login")
        row.save()
        audit_record(
            "email.settings",
            object_type="mail_settings",
            object_id=row.pk,
            detail={"fields": sorted(changed)},
        )
    return row


def webhook_login_renew(*, caller: Caller) -> MailSettings:
    """A new webhook user and password (the old ones stop working at once)."""
    caller.require(Perm.EMAIL_SETTINGS_MANAGE)
    with transaction.atomic():
        row = mail_settings() or MailSettings()
        _new_webhook_login(row)
        row.save()
        audit_record(
            "email.webhook_login",
            object_type="mail_settings",
            object_id=row.pk,
            detail={"fields": ["webhook_user", "webhook_password"]},
        )
    return row


def connection_check(*, caller: Caller) -> postmark.Check:
    """Ask Postmark about the saved token (GET /server) and keep the answer."""
    caller.require(Perm.EMAIL_SETTINGS_MANAGE)
    row = mail_settings()
    if row is None:
        return postmark.Check(False, "Save the email settings first.")
    check = postmark.check_server(str(row.server_token or ""))
    with transaction.atomic():
        row.checked_at, row.check_ok, row.check_detail = (
            timezone.now(),
            check.ok,
            check.detail[:300],
        )
        fields = ["checked_at", "check_ok", "check_detail"]
        if check.ok and check.inbound_address and not row.inbound_address:
            # Postmark's own inbound address works at once as the reply address.
            row.inbound_address = check.inbound_address
            fields.append("inbound_address")
        row.save(update_fields=[*fields, "updated_at"])
        audit_record(
            "email.check",
            object_type="mail_settings",
            object_id=row.pk,
            detail={"ok": check.ok},
        )
    return check


def unsubscribe(token: str, *, one_click: bool) -> bool | None:
    """Withdraw email marketing consent for the link's patient.

    None: the link is not valid (or its patient is gone). False: nothing to
    withdraw. True: withdrawn now and recorded in the consent history.
    """
    found = read_token(token)
    if found is None:
        return None
    clinic_id, patient_id = found
    how = "one-click unsubscribe from the email" if one_click else "the unsubscribe page"
    with (
        clinic_scope(clinic_id),
        acting_as(Actor(type="system", label="Email unsubscribe link")),
        transaction.atomic(),
    ):
        patient = Patient.objects.select_for_update().filter(pk=patient_id).first()
        if patient is None:
            return None
        return withdraw_for_patient(
            clinic_id,
            patient,
            source="email unsubscribe",
            wording=f"Unsubscribed from marketing emails through {how}",
        )
