"""Does a rule's condition hold for this patient and event? Each answer comes with why."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from aescrm.attribution.models import Touch, TouchPosition
from aescrm.patients.models import Appointment, Enquiry, Patient, Treatment


@dataclass
class Subject:
    """What a rule looks at: the patient and, where the event has them, appointment and enquiry."""

    patient: Patient
    appointment: Appointment | None = None
    enquiry: Enquiry | None = None

    @cached_property
    def treatment(self) -> Treatment | None:
        if self.appointment is not None:
            return self.appointment.treatment
        if self.enquiry is not None and self.enquiry.treatment_id:
            return self.enquiry.treatment
        return None

    @cached_property
    def lead(self) -> Enquiry | None:
        """The event's enquiry, or the patient's latest one."""
        if self.enquiry is not None:
            return self.enquiry
        return Enquiry.objects.filter(patient=self.patient).order_by("-created_at").first()

    @cached_property
    def touch(self) -> Touch | None:
        touches = Touch.objects.filter(patient=self.patient, position=TouchPosition.FIRST)
        if self.lead is not None:
            touches = touches.filter(enquiry=self.lead)
        return touches.order_by("occurred_at").first()


def _words(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _list_check(
    field: str, op: str, wanted: list[str], actual: list[str], label: str
) -> str | None:
    """None if it holds, else why not."""
    wanted_lower = {w.lower() for w in wanted}
    hit = any(a.lower() in wanted_lower for a in actual if a)
    shown = _words([a for a in actual if a]) or "none"
    if op == "in" and not hit:
        return f"{label} is {shown}, the rule wants {_words(wanted)}"
    if op == "not_in" and hit:
        return f"{label} is {shown}, which the rule leaves out"
    return None


def _treatment_names(ids: list[str]) -> list[str]:
    names = {
        str(pk): name for pk, name in Treatment.objects.filter(pk__in=ids).values_list("pk", "name")
    }
    return [names.get(i, "a deleted treatment") for i in ids]


def why_not(condition: dict[str, Any], subject: Subject) -> str | None:
    """None when the condition holds, otherwise a sentence saying why it does not."""
    field, op, value = condition["field"], condition["op"], condition["value"]
    treatment = subject.treatment
    if field == "treatment":
        actual = [str(treatment.pk)] if treatment else []
        problem = _list_check(field, op, value, actual, "the treatment")
        if problem:
            name = treatment.name if treatment else "none"
            names = _words(_treatment_names(value))
            if op == "in":
                return f"the treatment is '{name}', the rule wants {names}"
            return f"the treatment is '{name}', which the rule leaves out"
        return None
    if field == "treatment_name":
        name = treatment.name if treatment else ""
        hit = any(word.lower() in name.lower() for word in value)
        if op == "contains" and not hit:
            return f"the treatment is '{name or 'none'}', which does not mention {_words(value)}"
        if op == "lacks" and hit:
            return f"the treatment is '{name}', which mentions {_words(value)}"
        return None
    if field == "category":
        category = treatment.category if treatment else ""
        return _list_check(field, op, value, [category], "the treatment category")
    if field in ("source", "campaign"):
        touch = subject.touch
        if field == "source":
            actual = [touch.utm_source, touch.channel] if touch else []
            return _list_check(field, op, value, actual, "the source")
        return _list_check(field, op, value, [touch.utm_campaign] if touch else [], "the campaign")
    if field == "stage":
        lead = subject.lead
        return _list_check(field, op, value, [lead.stage] if lead else [], "the lead stage")
    if field == "enquiry_channel":
        lead = subject.lead
        return _list_check(field, op, value, [lead.channel] if lead else [], "the enquiry came by")
    if field == "tag":
        has = value.lower() in {str(t).lower() for t in subject.patient.tags or []}
        if op == "has" and not has:
            return f"the patient is not tagged '{value}'"
        if op == "lacks" and has:
            return f"the patient is tagged '{value}'"
        return None
    if field == "consent":
        granted = bool(getattr(subject.patient, f"consent_{value}", False))
        words = "SMS" if value == "sms" else "email"
        if op == "has" and not granted:
            return f"no marketing consent by {words}"
        if op == "lacks" and granted:
            return f"the patient has marketing consent by {words}"
        return None
    amount = _value(subject)
    if op == "gte" and amount < value:
        return f"the value is £{amount / 100:,.2f}, below £{value / 100:,.2f}"
    if op == "lte" and amount > value:
        return f"the value is £{amount / 100:,.2f}, above £{value / 100:,.2f}"
    return None


def _value(subject: Subject) -> int:
    if subject.appointment is not None:
        return subject.appointment.value_pence
    return subject.treatment.price_pence if subject.treatment else 0


def first_failure(conditions: list[dict[str, Any]], subject: Subject) -> str | None:
    for condition in conditions:
        problem = why_not(condition, subject)
        if problem:
            return problem
    return None
