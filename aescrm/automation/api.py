"""JSON API: automation rules and a patient's automation log (scope automations:read; the
log also needs patients:read, as it reads the patient)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from aescrm.api.common import ERRORS, caller_of
from aescrm.automation import selectors, words
from aescrm.automation.models import Rule, RunLog

router = Router(tags=["automations"])


class RuleOut(Schema):
    id: uuid.UUID
    name: str
    recipe: str
    enabled: bool
    version: int
    trigger: dict[str, Any]
    trigger_label: str
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    stop_when: list[str]
    runs_last_30_days: int
    updated_at: dt.datetime


class LogEntryOut(Schema):
    at: dt.datetime
    rule: uuid.UUID | None
    rule_name: str
    version: int | None
    run: uuid.UUID | None
    event: str
    step: int | None
    outcome: str
    reason: str
    detail: str
    message: uuid.UUID | None


def _rule_out(rule: Rule) -> dict[str, Any]:
    version = rule.current_version
    assert version is not None
    return {
        "id": rule.pk,
        "name": rule.name,
        "recipe": rule.recipe,
        "enabled": rule.enabled,
        "version": version.number,
        "trigger": version.trigger,
        "trigger_label": words.trigger(version.trigger),
        "conditions": version.conditions,
        "actions": version.actions,
        "stop_when": version.stop_when,
        "runs_last_30_days": getattr(rule, "recent_runs", 0),
        "updated_at": rule.updated_at,
    }


def _entry_out(entry: RunLog) -> dict[str, Any]:
    return {
        "at": entry.at,
        "rule": entry.rule_id,
        "rule_name": entry.rule_name,
        "version": entry.version,
        "run": entry.run_id,
        "event": entry.event,
        "step": entry.step,
        "outcome": entry.outcome,
        "reason": entry.reason,
        "detail": str(entry.detail or ""),
        "message": entry.message_id,
    }


@router.get("/automations/rules", response={200: list[RuleOut], **ERRORS})
def list_rules(request: HttpRequest) -> list[dict[str, Any]]:
    rules = selectors.rule_list(caller=caller_of(request), now=timezone.now())
    return [_rule_out(rule) for rule in rules if rule.current_version is not None]


@router.get("/patients/{patient_id}/automation-log", response={200: list[LogEntryOut], **ERRORS})
def patient_automation_log(request: HttpRequest, patient_id: str) -> list[dict[str, Any]]:
    """Newest first: which rule fired, which did not, and why (``reason`` codes such as
    ``condition_false``, ``no_consent``, ``opted_out``, ``quiet_hours``, ``restricted``)."""
    _, entries = selectors.run_log(caller=caller_of(request), patient_id=patient_id)
    return [_entry_out(entry) for entry in entries]
