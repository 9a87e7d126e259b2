"""The rule builder's form: rows of conditions and steps, to and from a rule's definition.

The page posts plain form fields (``cond-<key>-field``, ``act-<key>-type``...),
so it works without JavaScript; htmx only fetches one more blank row. Row keys
need not be consecutive (a removed row leaves a gap); rows are read in key
order. Errors from ``clean_definition`` name a position ("actions.2"), which
is mapped back to the row it came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from aescrm.automation.definitions import (
    ACTIONS,
    CONDITION_FIELDS,
    LIST_OPS,
    OPS,
    ROLES_TO_NOTIFY,
    STOP_WHEN,
    TASK_KINDS,
    TRIGGERS,
)
from aescrm.automation.models import RuleVersion
from aescrm.automation.services import RuleInput, clean_name
from aescrm.core.problems import DomainError, ValidationFailed
from aescrm.patients.models import EnquiryChannel, LeadStage, Treatment

UNITS = {"minutes": 1, "hours": 60, "days": 1440}
_KEY = re.compile(r"^(cond|act)-(\d{1,4})-")
ROWS_MAX = 30
OP_LABELS = {
    "in": "is one of",
    "not_in": "is none of",
    "contains": "mentions",
    "lacks": "does not mention",
    "has": "has",
    "gte": "is at least",
    "lte": "is at most",
}


@dataclass
class ConditionRow:
    key: int
    field: str = "treatment_name"
    op: str = "contains"
    value: str = ""
    error: str = ""


@dataclass
class ActionRow:
    key: int
    type: str = "send"
    template: str = ""
    wait_amount: str = ""
    wait_unit: str = "days"
    at: str = ""
    task_kind: str = "follow_up"
    note: str = ""
    due_minutes: str = "60"
    stage: str = ""
    assign_to: str = "round_robin"
    tag: str = ""
    text: str = ""
    role: str = ""
    # Per-treatment templates (set by the API or a recipe): kept as they are.
    by_treatment: str = ""
    error: str = ""


@dataclass
class Builder:
    name: str = ""
    event: str = "appointment_time"
    amount: str = ""
    unit: str = "hours"
    direction: str = "before"
    conditions: list[ConditionRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    stop_when: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(r.error for r in self.conditions)
            or any(r.error for r in self.actions)
        )

    def next_key(self) -> int:
        keys = [r.key for r in self.conditions] + [r.key for r in self.actions]
        return max(keys, default=-1) + 1

    # --- reading the posted form ---------------------------------------------------------

    @classmethod
    def from_post(cls, data: QueryDict) -> Builder:
        builder = cls(
            name=data.get("name", ""),
            event=data.get("event", ""),
            amount=data.get("amount", "").strip(),
            unit=data.get("unit", "hours"),
            direction=data.get("direction", "before"),
            stop_when=data.getlist("stop_when"),
        )
        keys: dict[str, set[int]] = {"cond": set(), "act": set()}
        for name in data:
            match = _KEY.match(name)
            if match:
                keys[match.group(1)].add(int(match.group(2)))
        for key in sorted(keys["cond"])[:ROWS_MAX]:
            p = f"cond-{key}-"
            builder.conditions.append(
                ConditionRow(
                    key,
                    field=data.get(p + "field", ""),
                    op=data.get(p + "op", ""),
                    value=data.get(p + "value", ""),
                )
            )
        for key in sorted(keys["act"])[:ROWS_MAX]:
            p = f"act-{key}-"
            row = ActionRow(key)
            for name in ActionRow.__dataclass_fields__:
                if name not in ("key", "error") and p + name in data:
                    setattr(row, name, data.get(p + name, ""))
            builder.actions.append(row)
        return builder

    def apply_op(self, op: str) -> bool:
        """Add or remove a row (the buttons of the page without JavaScript); True if done."""
        if op == "add_condition":
            self.conditions.append(ConditionRow(self.next_key()))
            return True
        if op == "add_action":
            self.actions.append(ActionRow(self.next_key(), type="wait"))
            return True
        kind, _, key = op.partition(":")
        if kind in ("remove_condition", "remove_action") and key.isdigit():
            rows: Any = self.conditions if kind == "remove_condition" else self.actions
            rows[:] = [r for r in rows if r.key != int(key)]
            return True
        return False

    def _trigger(self) -> dict[str, Any]:
        trigger: dict[str, Any] = {"event": self.event}
        minutes: Any = self.amount
        if self.amount.lstrip("-").isdigit():
            minutes = int(self.amount) * UNITS.get(self.unit, 1)
        if self.event == "appointment_time":
            if isinstance(minutes, int) and self.direction == "before":
                minutes = -minutes
            trigger["offset_minutes"] = minutes
        if self.event == "no_reply":
            trigger["after_minutes"] = minutes
        return trigger

    def _condition(self, row: ConditionRow, position: int) -> dict[str, Any]:
        where = f"conditions.{position}"
        ops = OPS.get(row.field, ())
        if row.field in ("consent", "tag", "value") or row.op not in LIST_OPS:
            value: Any = row.value.strip()
            if row.field == "treatment_name":
                value = _split(row.value)
            return {"field": row.field, "op": row.op, "value": value}
        values = _split(row.value)
        if row.field == "treatment":
            values = [_treatment_id(v, where) for v in values]
        if row.field == "stage":
            values = [_choice(v, LeadStage) for v in values]
        if row.field == "enquiry_channel":
            values = [_choice(v, EnquiryChannel) for v in values]
        return {"field": row.field, "op": row.op if row.op in ops else "", "value": values}

    def _action(self, row: ActionRow, position: int) -> dict[str, Any]:
        kind = row.type
        if kind == "send":
            if not row.template:
                raise ValidationFailed(
                    "choose the template this step sends", field=f"actions.{position}"
                )
            action: dict[str, Any] = {"type": kind, "template": row.template}
            if row.by_treatment:
                try:
                    action["templates_by_treatment"] = json.loads(row.by_treatment)
                except ValueError:
                    action["templates_by_treatment"] = row.by_treatment
            return action
        if kind == "wait":
            amount: Any = row.wait_amount.strip()
            if row.wait_unit == "days":
                return {"type": kind, "days": amount, "at": row.at.strip()}
            if amount.isdigit():
                amount = int(amount) * UNITS.get(row.wait_unit, 1)
            return {"type": kind, "minutes": amount}
        if kind == "task":
            return {
                "type": kind,
                "kind": row.task_kind,
                "note": row.note,
                "due_minutes": row.due_minutes.strip() or 60,
            }
        if kind == "assign":
            return {"type": kind, "to": row.assign_to}
        if kind == "stage":
            return {"type": kind, "to": row.stage}
        if kind == "tag":
            return {"type": kind, "tag": row.tag}
        return {"type": kind, "text": row.text, "role": row.role}

    def to_input(self) -> RuleInput:
        clean_name(self.name)  # the first field on the page is the first problem named
        return RuleInput(
            name=self.name,
            trigger=self._trigger(),
            conditions=[self._condition(r, i) for i, r in enumerate(self.conditions)],
            actions=[self._action(r, i) for i, r in enumerate(self.actions)],
            stop_when=self.stop_when,
        )

    def show_error(self, exc: DomainError) -> None:
        """Put a service's error next to the field or row it names."""
        where = exc.field or ""
        detail = exc.detail[:1].upper() + exc.detail[1:]
        section, _, index = where.partition(".")
        if section in ("conditions", "actions") and index.isdigit():
            rows: list[Any] = self.conditions if section == "conditions" else self.actions
            if int(index) < len(rows):
                rows[int(index)].error = detail
                return
        target = {
            "trigger.event": "event",
            "trigger.offset_minutes": "amount",
            "trigger.after_minutes": "amount",
        }.get(where, where)
        if target not in ("name", "event", "amount", "conditions", "actions", "stop_when"):
            target = "form"
        self.errors[target] = detail

    # --- from a saved rule ---------------------------------------------------------------

    @classmethod
    def from_version(cls, name: str, version: RuleVersion) -> Builder:
        trigger = version.trigger
        builder = cls(name=name, event=trigger["event"], stop_when=list(version.stop_when))
        minutes = trigger.get("offset_minutes", trigger.get("after_minutes"))
        if minutes is not None:
            builder.direction = "before" if minutes < 0 else "after"
            builder.amount, builder.unit = _in_units(abs(int(minutes)))
        treatments = dict(Treatment.objects.values_list("pk", "name"))
        key = 0
        for condition in version.conditions:
            value = condition["value"]
            if condition["field"] == "treatment":
                value = [treatments.get(_uuid(v), v) for v in value]
            text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            builder.conditions.append(
                ConditionRow(key, field=condition["field"], op=condition["op"], value=text)
            )
            key += 1
        for action in version.actions:
            row = ActionRow(key, type=action["type"])
            key += 1
            if action["type"] == "send":
                row.template = action["template"]
                if action.get("templates_by_treatment"):
                    row.by_treatment = json.dumps(action["templates_by_treatment"])
            elif action["type"] == "wait":
                if "days" in action:
                    row.wait_amount, row.wait_unit = str(action["days"]), "days"
                    row.at = action.get("at", "")
                else:
                    row.wait_amount, row.wait_unit = _in_units(int(action["minutes"]))
            elif action["type"] == "task":
                row.task_kind, row.note = action["kind"], action["note"]
                row.due_minutes = str(action["due_minutes"])
            elif action["type"] == "assign":
                row.assign_to = action["to"]
            elif action["type"] == "stage":
                row.stage = action["to"]
            elif action["type"] == "tag":
                row.tag = action["tag"]
            else:
                row.text, row.role = action["text"], action.get("role", "")
            builder.actions.append(row)
        return builder


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return value


def _in_units(minutes: int) -> tuple[str, str]:
    if minutes and minutes % 1440 == 0:
        return str(minutes // 1440), "days"
    if minutes and minutes % 60 == 0:
        return str(minutes // 60), "hours"
    return str(minutes), "minutes"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _choice(value: str, choices: Any) -> str:
    for code, label in choices.choices:
        if value.lower() in (str(code).lower(), str(label).lower()):
            return str(code)
    return value


def _treatment_id(name: str, where: str) -> str:
    match = Treatment.objects.filter(name__iexact=name).values_list("pk", flat=True).first()
    if match is None:
        raise ValidationFailed(f"there is no treatment called '{name}'", field=where)
    return str(match)


# Choices for the page's selects.
TRIGGER_CHOICES = list(TRIGGERS.items())
CONDITION_CHOICES = list(CONDITION_FIELDS.items())
OP_CHOICES = [(op, OP_LABELS[op]) for op in OP_LABELS]
ACTION_CHOICES = list(ACTIONS.items())
STOP_CHOICES = list(STOP_WHEN.items())
TASK_CHOICES = [(k, "Call back" if k == "call_back" else "Follow up") for k in TASK_KINDS]
ROLE_CHOICES = [(r, r.capitalize() if r else "The whole team") for r in ROLES_TO_NOTIFY]
UNIT_CHOICES = [("minutes", "minutes"), ("hours", "hours"), ("days", "days")]
STAGE_CHOICES = [(s.value, s.label) for s in LeadStage if s != LeadStage.LOST]
