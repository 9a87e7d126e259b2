"""What a rule may say: its trigger, conditions, actions and stop conditions.

Rules are stored as JSON (``RuleVersion``); everything that writes one goes
through ``clean_definition``, which refuses anything it does not understand,
naming the field, so the engine only ever reads definitions it can run.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from aescrm.core.problems import ValidationFailed
from aescrm.patients.models import EnquiryChannel, LeadStage

TRIGGERS: dict[str, str] = {
    "enquiry_created": "An enquiry arrives",
    "stage_changed": "A lead moves to another stage",
    "appointment_booked": "An appointment is booked",
    "appointment_rescheduled": "An appointment is moved",
    "appointment_cancelled": "An appointment is cancelled",
    "appointment_attended": "A patient attends",
    "appointment_no_show": "A patient does not attend",
    "message_received": "A message arrives from the patient",
    "appointment_time": "A time before or after an appointment",
    "no_reply": "No reply some time after an enquiry",
}
# Triggers whose runs are about one appointment (and stop when it is cancelled).
APPOINTMENT_TRIGGERS = frozenset(
    {
        "appointment_booked",
        "appointment_rescheduled",
        "appointment_cancelled",
        "appointment_attended",
        "appointment_no_show",
        "appointment_time",
    }
)
MAX_OFFSET_MINUTES = 60 * 24 * 60  # sixty days either side
MAX_WAIT_DAYS = 800  # a recall two years on, and some

CONDITION_FIELDS: dict[str, str] = {
    "treatment": "Treatment",
    "treatment_name": "Treatment name contains",
    "category": "Treatment category",
    "source": "Source (utm_source or channel of the first visit)",
    "campaign": "Campaign (utm_campaign)",
    "stage": "Lead stage",
    "enquiry_channel": "How the enquiry came in",
    "tag": "Patient tag",
    "consent": "Marketing consent",
    "value": "Value (pence)",
}
LIST_OPS = ("in", "not_in")
OPS: dict[str, tuple[str, ...]] = {
    "treatment": LIST_OPS,
    "treatment_name": ("contains", "lacks"),
    "category": LIST_OPS,
    "source": LIST_OPS,
    "campaign": LIST_OPS,
    "stage": LIST_OPS,
    "enquiry_channel": LIST_OPS,
    "tag": ("has", "lacks"),
    "consent": ("has", "lacks"),
    "value": ("gte", "lte"),
}

ACTIONS: dict[str, str] = {
    "send": "Send a template",
    "wait": "Wait",
    "task": "Create a staff task",
    "assign": "Assign the lead",
    "stage": "Move the lead to a stage",
    "tag": "Add a tag",
    "notify": "Notify staff",
}
STOP_WHEN: dict[str, str] = {
    "booked": "the patient books an appointment",
    "replied": "the patient replies",
    "opted_out": "the patient opts out of marketing",
    "objected": "the patient objects or restricts processing",
    "complaint": "the patient has a complaint on record (tag 'complaint')",
}
TASK_KINDS = ("call_back", "follow_up")
ROLES_TO_NOTIFY = ("", "owner", "manager", "receptionist", "clinician")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
TEXT_MAX = 500


@dataclass(frozen=True)
class Definition:
    trigger: dict[str, Any]
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    stop_when: list[str]


def _int(value: Any, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed(f"{field} must be a whole number", field=field)
    try:
        number = int(value)
    except ValueError as exc:
        raise ValidationFailed(f"{field} must be a whole number", field=field) from exc
    if not low <= number <= high:
        raise ValidationFailed(f"{field} must be between {low} and {high}", field=field)
    return number


def _uuid_text(value: Any, field: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise ValidationFailed(f"{value!r} is not an id", field=field) from exc


def _text(value: Any, field: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{field} needs some text", field=field)
    if len(text) > TEXT_MAX:
        raise ValidationFailed(f"{field} may be at most {TEXT_MAX} characters", field=field)
    return text


def clean_trigger(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("event") not in TRIGGERS:
        raise ValidationFailed(
            "trigger.event must be one of " + ", ".join(TRIGGERS), field="trigger.event"
        )
    event = raw["event"]
    trigger: dict[str, Any] = {"event": event}
    if event == "appointment_time":
        offset = _int(
            raw.get("offset_minutes"),
            "trigger.offset_minutes",
            low=-MAX_OFFSET_MINUTES,
            high=MAX_OFFSET_MINUTES,
        )
        if offset == 0:
            raise ValidationFailed(
                "say how long before (negative) or after the appointment",
                field="trigger.offset_minutes",
            )
        trigger["offset_minutes"] = offset
    if event == "no_reply":
        trigger["after_minutes"] = _int(
            raw.get("after_minutes"), "trigger.after_minutes", low=1, high=MAX_OFFSET_MINUTES
        )
    return trigger


def _clean_condition(raw: Any, index: int) -> dict[str, Any]:
    where = f"conditions.{index}"
    if not isinstance(raw, dict) or raw.get("field") not in CONDITION_FIELDS:
        raise ValidationFailed(
            "a condition's field must be one of " + ", ".join(CONDITION_FIELDS), field=where
        )
    field, op = raw["field"], raw.get("op")
    if op not in OPS[field]:
        raise ValidationFailed(
            f"a {field} condition's op must be one of {', '.join(OPS[field])}", field=where
        )
    value = raw.get("value")
    if op in LIST_OPS or field == "treatment_name":
        values = value if isinstance(value, list) else [value]
        values = [str(v).strip() for v in values if str(v or "").strip()]
        if not values:
            raise ValidationFailed(f"choose at least one {field}", field=where)
        if field == "treatment":
            values = [_uuid_text(v, where) for v in values]
        if field == "stage" and not set(values) <= set(LeadStage.values):
            raise ValidationFailed(
                "stage must be one of " + ", ".join(LeadStage.values), field=where
            )
        if field == "enquiry_channel" and not set(values) <= set(EnquiryChannel.values):
            raise ValidationFailed(
                "enquiry_channel must be one of " + ", ".join(EnquiryChannel.values), field=where
            )
        return {"field": field, "op": op, "value": values}
    if field == "value":
        return {"field": field, "op": op, "value": _int(value, where, low=0, high=10**9)}
    if field == "consent" and value not in ("sms", "email"):
        raise ValidationFailed("consent is for sms or email", field=where)
    return {"field": field, "op": op, "value": _text(value, where)[:40]}


def _clean_action(raw: Any, index: int) -> dict[str, Any]:
    where = f"actions.{index}"
    if not isinstance(raw, dict) or raw.get("type") not in ACTIONS:
        raise ValidationFailed("an action's type must be one of " + ", ".join(ACTIONS), field=where)
    kind = raw["type"]
    if kind == "send":
        action: dict[str, Any] = {"type": kind, "template": _uuid_text(raw.get("template"), where)}
        by_treatment = raw.get("templates_by_treatment") or {}
        if not isinstance(by_treatment, dict):
            raise ValidationFailed(
                "templates_by_treatment maps treatments to templates", field=where
            )
        if by_treatment:
            action["templates_by_treatment"] = {
                _uuid_text(k, where): _uuid_text(v, where) for k, v in by_treatment.items()
            }
        return action
    if kind == "wait":
        if "days" in raw and raw["days"] not in (None, ""):
            action = {"type": kind, "days": _int(raw["days"], where, low=0, high=MAX_WAIT_DAYS)}
            at = raw.get("at") or ""
            if at:
                if not isinstance(at, str) or not _TIME.match(at):
                    raise ValidationFailed("'at' is a time like 10:00", field=where)
                action["at"] = at
            if action["days"] == 0 and "at" not in action:
                raise ValidationFailed("wait at least a day, or give a time", field=where)
            return action
        return {
            "type": kind,
            "minutes": _int(raw.get("minutes"), where, low=1, high=MAX_WAIT_DAYS * 1440),
        }
    if kind == "task":
        task_kind = raw.get("kind") or "follow_up"
        if task_kind not in TASK_KINDS:
            raise ValidationFailed("a task is call_back or follow_up", field=where)
        return {
            "type": kind,
            "kind": task_kind,
            "note": _text(raw.get("note"), where),
            "due_minutes": _int(raw.get("due_minutes", 60), where, low=0, high=60 * 24 * 30),
        }
    if kind == "assign":
        to = raw.get("to")
        return {"type": kind, "to": "round_robin" if to == "round_robin" else _uuid_text(to, where)}
    if kind == "stage":
        if raw.get("to") not in LeadStage.values or raw.get("to") == LeadStage.LOST:
            raise ValidationFailed(
                "the stage must be one of "
                + ", ".join(s for s in LeadStage.values if s != LeadStage.LOST),
                field=where,
            )
        return {"type": kind, "to": raw["to"]}
    if kind == "tag":
        return {"type": kind, "tag": _text(raw.get("tag"), where)[:40]}
    role = raw.get("role") or ""
    if role not in ROLES_TO_NOTIFY:
        raise ValidationFailed("notify the whole team or one role", field=where)
    return {"type": kind, "text": _text(raw.get("text"), where), "role": role}


def clean_definition(
    trigger: Any, conditions: Any, actions: Any, stop_when: Any = ()
) -> Definition:
    clean = clean_trigger(trigger)
    if not isinstance(conditions, list):
        raise ValidationFailed("conditions must be a list", field="conditions")
    if not isinstance(actions, list) or not actions:
        raise ValidationFailed("a rule needs at least one action", field="actions")
    if len(actions) > 20:
        raise ValidationFailed("a rule may have at most 20 steps", field="actions")
    cleaned_actions = [_clean_action(a, i) for i, a in enumerate(actions)]
    if all(a["type"] == "wait" for a in cleaned_actions):
        raise ValidationFailed("a rule needs an action besides waiting", field="actions")
    stops = list(dict.fromkeys(stop_when or ()))
    unknown = [s for s in stops if s not in STOP_WHEN]
    if unknown:
        raise ValidationFailed(
            "stop_when may hold " + ", ".join(STOP_WHEN) + f", not {unknown[0]!r}",
            field="stop_when",
        )
    return Definition(
        trigger=clean,
        conditions=[_clean_condition(c, i) for i, c in enumerate(conditions)],
        actions=cleaned_actions,
        stop_when=stops,
    )
