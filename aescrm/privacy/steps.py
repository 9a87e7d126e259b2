"""Small steps both registers take on a request (the clinic's and AES-CRM Ltd's)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from aescrm.core.problems import Conflict


def require_open(request: Any) -> None:
    """A closed request (completed, refused, withdrawn) takes no more steps."""
    if not request.is_open:
        raise Conflict(
            f"this request is already {request.get_status_display().lower()}", field="status"
        )


def stamped(existing: str | None, line: str, *, author: str, tz: ZoneInfo, now: dt.datetime) -> str:
    """Notes keep their history: each addition is stamped with when (local time) and who."""
    stamp = now.astimezone(tz).strftime("%d %b %Y %H:%M")
    entry = f"[{stamp}, {author}] {line}"
    return f"{existing}\n{entry}" if existing else entry
