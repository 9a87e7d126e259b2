"""Shared helpers for the API tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

LONDON = zoneinfo.ZoneInfo("Europe/London")


def slot(days: int = 1, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time ``days`` from today at ``hour`` in London: inside the API's default window."""
    day = dt.datetime.now(LONDON).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def utc_json(value: dt.datetime) -> str:
    """How the API writes a UTC time: ISO 8601 with Z and milliseconds when non-zero."""
    text = value.astimezone(dt.UTC).isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    return text.replace("+00:00", "Z")


def booking(world: Any, patient_id: str, starts_at: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {
        "patient": patient_id,
        "treatment": str(world.treatment.pk),
        "practitioner": str(world.practitioner.pk),
        "starts_at": starts_at.isoformat(),
        **extra,
    }


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """An RFC 7807 body with the status; ``field`` is named first when given."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://aescrm.example/problems/")
    assert body["title"]
    assert body["detail"]
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body
