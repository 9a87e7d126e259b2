"""A rule's definition in words, for the rules list, the rule page and the dry run."""

from __future__ import annotations

from typing import Any

from aescrm.automation import definitions, timing
from aescrm.patients.models import EnquiryChannel, LeadStage, Treatment
from aescrm.templating.models import MessageTemplate


class Names:
    """Template, treatment and member names a set of definitions mentions, read at once."""

    def __init__(self, versions: list[Any]) -> None:
        template_ids: set[str] = set()
        treatment_ids: set[str] = set()
        for version in versions:
            for action in version.actions:
                if action["type"] == "send":
                    template_ids.add(action["template"])
                    template_ids |= set(action.get("templates_by_treatment", {}).values())
                    treatment_ids |= set(action.get("templates_by_treatment", {}))
            for condition in version.conditions:
                if condition["field"] == "treatment":
                    treatment_ids |= set(condition["value"])
        self.templates = {str(t.pk): t for t in MessageTemplate.objects.filter(pk__in=template_ids)}
        self.treatments = {
            str(pk): name
            for pk, name in Treatment.objects.filter(pk__in=treatment_ids).values_list("pk", "name")
        }

    def template(self, template_id: str) -> str:
        template = self.templates.get(template_id)
        if template is None:
            return "a deleted template"
        off = "" if template.active else " (switched off)"
        return f"'{template.name}' ({template.get_channel_display()}, {template.kind}){off}"

    def treatment(self, treatment_id: str) -> str:
        return self.treatments.get(treatment_id, "a deleted treatment")


def trigger(trigger_: dict[str, Any]) -> str:
    from aescrm.automation.engine import trigger_label

    return trigger_label(trigger_)


OP_WORDS = {
    "in": "is",
    "not_in": "is not",
    "contains": "mentions",
    "lacks": "does not mention",
    "has": "is",
    "gte": "is at least",
    "lte": "is at most",
}


def _labels(field: str, values: list[str], names: Names) -> str:
    if field == "treatment":
        shown = [names.treatment(v) for v in values]
    elif field == "stage":
        shown = [str(LeadStage(v).label) if v in LeadStage.values else v for v in values]
    elif field == "enquiry_channel":
        shown = [str(EnquiryChannel(v).label) if v in EnquiryChannel.values else v for v in values]
    else:
        shown = values
    return " or ".join(f"'{v}'" for v in shown)


def condition(condition_: dict[str, Any], names: Names) -> str:
    field, op, value = condition_["field"], condition_["op"], condition_["value"]
    if field == "consent":
        words = "SMS" if value == "sms" else "email"
        return f"the patient {'has' if op == 'has' else 'has no'} marketing consent by {words}"
    if field == "tag":
        return f"the patient {'is' if op == 'has' else 'is not'} tagged '{value}'"
    if field == "value":
        return f"the value {OP_WORDS[op]} £{int(value) / 100:,.2f}"
    label = definitions.CONDITION_FIELDS[field].lower()
    if field == "treatment_name":
        return f"the treatment name {OP_WORDS[op]} {_labels(field, value, names)}"
    return f"{label} {OP_WORDS[op]} {_labels(field, value, names)}"


def action(action_: dict[str, Any], names: Names) -> str:
    kind = action_["type"]
    if kind == "send":
        words = f"Send {names.template(action_['template'])}"
        by_treatment = action_.get("templates_by_treatment") or {}
        for treatment_id, template_id in by_treatment.items():
            words += (
                f"; for {names.treatment(treatment_id)} send {names.template(template_id)} instead"
            )
        return words
    if kind == "wait":
        if "minutes" in action_:
            return f"Wait {timing.describe_offset(int(action_['minutes'])).rsplit(' ', 1)[0]}"
        days = int(action_["days"])
        words = f"Wait {days} day{'s' if days != 1 else ''}"
        return f"{words}, until {action_['at']}" if action_.get("at") else words
    if kind == "task":
        what = "Call back" if action_["kind"] == "call_back" else "Follow up"
        return f"Create a task ({what.lower()}): {action_['note']}"
    if kind == "assign":
        return (
            "Assign the lead in turn (round robin)"
            if action_["to"] == "round_robin"
            else "Assign the lead to a chosen member of staff"
        )
    if kind == "stage":
        return f"Move the lead to {LeadStage(action_['to']).label}"
    if kind == "tag":
        return f"Tag the patient '{action_['tag']}'"
    who = action_.get("role") or "the whole team"
    return f"Notify {who}: {action_['text']}"


def stop_when(stops: list[str]) -> list[str]:
    return [definitions.STOP_WHEN.get(s, s) for s in stops]
