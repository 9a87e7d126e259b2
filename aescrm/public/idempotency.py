"""``Idempotency-Key``: a retried submission gets the first answer and creates nothing new."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aescrm.core.problems import ValidationFailed
from aescrm.public.models import IdempotencyRecord

KEEP_FOR = dt.timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# Measured again on every attempt, so not part of what makes two requests "the same".
VOLATILE_FIELDS = ("fill_ms", "sent_at")


@dataclass(frozen=True)
class Answer:
    """What the endpoint answered, as stored for replays."""

    status: int
    content_type: str = ""
    body: str = ""
    location: str = ""


class KeyReused(ValidationFailed):
    title = "Idempotency key reused"
    type_slug = "idempotency-key-reused"


def key_hash(header: str | None) -> str | None:
    if header is None:
        return None
    if not _KEY.match(header):
        raise ValidationFailed(
            "Idempotency-Key must be 1 to 255 visible ASCII characters", field="Idempotency-Key"
        )
    return hashlib.sha256(header.encode()).hexdigest()


def request_hash(data: Mapping[str, Any]) -> str:
    stable = {k: v for k, v in data.items() if k not in VOLATILE_FIELDS}
    canonical = json.dumps(stable, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(key: str, req_hash: str) -> Answer | None:
    """The stored answer for this key in the active clinic, or None if it is new (or expired)."""
    record = IdempotencyRecord.objects.filter(key_hash=key, expires_at__gt=timezone.now()).first()
    if record is None:
        return None
    if record.request_hash != req_hash:
        raise KeyReused(
            "this Idempotency-Key was already used for a different request; "
            "send a new key for a new enquiry",
            field="Idempotency-Key",
        )
    return Answer(record.status, record.content_type, record.body, record.location)


def remember(key: str, req_hash: str, answer: Answer) -> None:
    """Store the answer in the current transaction (with what it created)."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(expires_at__lte=now).delete()
    IdempotencyRecord.objects.create(
        key_hash=key,
        request_hash=req_hash,
        status=answer.status,
        content_type=answer.content_type,
        body=answer.body,
        location=answer.location,
        expires_at=now + KEEP_FOR,
    )
