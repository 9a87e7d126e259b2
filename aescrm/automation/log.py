"""Writing the run log: one line per rule per event, and one per step taken or not."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aescrm.automation.models import Outcome, Rule, Run, RunLog


def write(
    patient_id: uuid.UUID,
    outcome: Outcome,
    *,
    at: dt.datetime,
    rule: Rule | None = None,
    run: Run | None = None,
    event: str = "",
    event_key: str = "",
    reason: str = "",
    detail: str = "",
    step: int | None = None,
    message: Any = None,
) -> RunLog:
    version = run.version.number if run is not None else None
    if version is None and rule is not None and rule.current_version is not None:
        version = rule.current_version.number
    return RunLog.objects.create(
        patient_id=patient_id,
        rule=rule,
        rule_name=rule.name if rule is not None else "",
        version=version,
        run=run,
        event=event,
        event_key=event_key[:200],
        step=step,
        outcome=outcome,
        reason=reason[:40],
        detail=detail or None,
        message=message,
        at=at,
    )
