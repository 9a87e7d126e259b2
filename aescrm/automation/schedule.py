"""An appointment's scheduled messages, for ``GET /api/v1/appointments/{id}``.

One entry per message the automations have queued for it (with the message's
own status) and one per message still to come or not sent (a run scheduled,
skipped or cancelled), with its due time in UTC and in the clinic's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.automation.models import RunLog, RunStatus
from aescrm.automation.sending import template_for
from aescrm.messaging.models import Message
from aescrm.patients.models import Appointment

MESSAGE_STATUS = {"queued": "queued", "sending": "sending", "sent": "sent"}


def _entry(
    kind: str, rule: str, channel: str, due: dt.datetime | None, status: str, tz: Any
) -> dict[str, Any]:
    return {
        "kind": kind,
        "rule": rule,
        "channel": channel,
        "due_at": due.astimezone(dt.UTC) if due else None,
        "due_at_local": due.astimezone(tz).isoformat() if due else None,
        "status": status,
    }


def _message_status(message: Message, now: dt.datetime) -> str:
    if message.status == "queued" and message.send_after and message.send_after > now:
        return "held"
    return str(message.status)


def scheduled_messages(appointment: Appointment, tz: Any, now: dt.datetime) -> list[dict[str, Any]]:
    runs = list(appointment_runs(appointment))
    logged = RunLog.objects.filter(run__in=runs, message__isnull=False).select_related("message")
    sent_by_run: dict[Any, list[Message]] = {}
    for entry in logged:
        sent_by_run.setdefault(entry.run_id, []).append(entry.message)  # type: ignore[arg-type]
    out = []
    for run in runs:
        kind = run.rule.recipe or "custom"
        for message in sent_by_run.get(run.pk, []):
            due = message.send_after or message.sent_at or message.created_at
            out.append(
                _entry(kind, run.rule.name, message.channel, due, _message_status(message, now), tz)
            )
        if run.status in (RunStatus.DONE, RunStatus.FAILED) or run.step >= len(run.version.actions):
            continue
        upcoming = next((a for a in run.version.actions[run.step :] if a["type"] == "send"), None)
        if upcoming is None:
            continue
        template = template_for(upcoming, appointment.treatment)
        channel = template.channel if template else ""
        status = "scheduled" if run.status == RunStatus.SCHEDULED else str(run.status)
        out.append(_entry(kind, run.rule.name, channel, run.due_at, status, tz))
    return sorted(out, key=lambda e: (e["due_at"] is None, e["due_at"] or now))


def appointment_runs(appointment: Appointment) -> Any:
    from aescrm.automation.models import Run

    return (
        Run.objects.filter(appointment=appointment)
        .select_related("rule", "version")
        .order_by("created_at")
    )
