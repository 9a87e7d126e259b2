"""Built-in rules every clinic starts with, editable like any other (docs/decisions/0019).

Installing is idempotent: a recipe already present (by its slug) is left as
the clinic has edited it, and a template already present (by name) is used
as it stands. Wording is service-only where the message is about the
patient's own care; the aesthetic recall and the nurture are marketing, name
no prescription-only medicine and offer STOP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aescrm.automation.definitions import clean_definition
from aescrm.automation.models import Rule, RuleVersion
from aescrm.templating.models import MessageTemplate

REMINDER_48 = "reminder_48h"
REMINDER_2 = "reminder_2h"


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    kind: str
    body: str
    channel: str = "sms"


@dataclass(frozen=True)
class Recipe:
    slug: str
    name: str
    trigger: dict[str, Any]
    steps: list[dict[str, Any]]
    conditions: list[dict[str, Any]] = field(default_factory=list)
    stop_when: list[str] = field(default_factory=list)
    enabled: bool = True


T_REMIND_48 = TemplateSpec(
    "Appointment reminder (2 days before)",
    "service",
    "Hi {{ first_name }}, a reminder of your appointment at {{ clinic_name }} on "
    "{{ appointment_time }} with {{ practitioner }}. Reply C to confirm or R to rebook.",
)
T_REMIND_2 = TemplateSpec(
    "Appointment reminder (2 hours before)",
    "service",
    "Hi {{ first_name }}, we look forward to seeing you at {{ clinic_name }} on "
    "{{ appointment_time }}. Reply R if you can no longer come.",
)
T_AFTERCARE = TemplateSpec(
    "Aftercare (the day after)",
    "service",
    "Hi {{ first_name }}, thank you for visiting {{ clinic_name }} yesterday. If anything about "
    "your treatment worries you, please call us. In an emergency call 999, or NHS 111 for "
    "urgent advice.",
)
T_REVIEW = TemplateSpec(
    "Review request",
    "service",
    "Hi {{ first_name }}, thank you for choosing {{ clinic_name }}. If you have a minute, we "
    "would value a review: {{ review_link }}",
)
T_NO_SHOW = TemplateSpec(
    "Missed appointment",
    "service",
    "Hi {{ first_name }}, we missed you at {{ clinic_name }} today. Reply to this message or "
    "call us and we will find you a new time.",
)
T_RECALL_HYGIENE = TemplateSpec(
    "Hygiene recall (6 months)",
    "service",
    "Hi {{ first_name }}, it is about six months since your last hygiene appointment at "
    "{{ clinic_name }}, so you are due another. Reply to this message or call us to book.",
)
T_RECALL_WRINKLES = TemplateSpec(
    "Anti-wrinkle review (3 months)",
    "marketing",
    "Hi {{ first_name }}, it is about three months since your last anti-wrinkle treatment at "
    "{{ clinic_name }}. Reply to book a review consultation. Reply STOP to opt out.",
)
T_INSTANT = TemplateSpec(
    "Thanks for your enquiry",
    "service",
    "Hi {{ first_name }}, thank you for your enquiry to {{ clinic_name }}. A member of the team "
    "will be in touch shortly.",
)
T_NURTURE_1 = TemplateSpec(
    "Nurture 1: any questions?",
    "marketing",
    "Hi {{ first_name }}, it is {{ clinic_name }} here. Do you have any questions before you "
    "book a consultation? Just reply to this message. Reply STOP to opt out.",
)
T_NURTURE_2 = TemplateSpec(
    "Nurture 2: consultation",
    "marketing",
    "Hi {{ first_name }}, a consultation at {{ clinic_name }} is the best way to find out what "
    "suits you, with no obligation. Reply to book. Reply STOP to opt out.",
)
T_NURTURE_3 = TemplateSpec(
    "Nurture 3: last note",
    "marketing",
    "Hi {{ first_name }}, this is our last note about your enquiry to {{ clinic_name }}. We are "
    "here whenever you are ready: just reply. Reply STOP to opt out.",
)


def _send(spec: TemplateSpec) -> dict[str, Any]:
    return {"type": "send", "template": spec}


def _wait_days(days: int, at: str = "10:00") -> dict[str, Any]:
    return {"type": "wait", "days": days, "at": at}


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        "instant_reply",
        "Instant reply to website enquiries",
        {"event": "enquiry_created"},
        [_send(T_INSTANT)],
        conditions=[{"field": "enquiry_channel", "op": "in", "value": ["web_form", "chat"]}],
    ),
    Recipe(
        REMINDER_48,
        "Reminder 2 days before",
        {"event": "appointment_time", "offset_minutes": -48 * 60},
        [_send(T_REMIND_48)],
    ),
    Recipe(
        REMINDER_2,
        "Reminder 2 hours before",
        {"event": "appointment_time", "offset_minutes": -2 * 60},
        [_send(T_REMIND_2)],
    ),
    Recipe(
        "aftercare",
        "Aftercare the day after",
        {"event": "appointment_attended"},
        [_wait_days(1), _send(T_AFTERCARE)],
        stop_when=["objected"],
    ),
    Recipe(
        "review_request",
        "Review request 3 days after a visit",
        {"event": "appointment_attended"},
        [_wait_days(3, "11:00"), _send(T_REVIEW)],
        stop_when=["objected", "complaint"],
        # Needs the clinic's review link first (Automations → Settings).
        enabled=False,
    ),
    Recipe(
        "no_show",
        "Follow-up after a missed appointment",
        {"event": "appointment_no_show"},
        [
            _send(T_NO_SHOW),
            {
                "type": "task",
                "kind": "call_back",
                "note": "Missed appointment: call to rebook",
                "due_minutes": 60,
            },
        ],
    ),
    Recipe(
        "recall_hygiene",
        "Hygiene recall every 6 months",
        {"event": "appointment_attended"},
        [_wait_days(182), _send(T_RECALL_HYGIENE)],
        conditions=[{"field": "treatment_name", "op": "contains", "value": ["hygien"]}],
        stop_when=["booked", "objected"],
    ),
    Recipe(
        "recall_anti_wrinkle",
        "Anti-wrinkle review after 3 months",
        {"event": "appointment_attended"},
        [_wait_days(91), _send(T_RECALL_WRINKLES)],
        conditions=[
            {"field": "treatment_name", "op": "contains", "value": ["toxin", "anti-wrinkle"]},
            {"field": "consent", "op": "has", "value": "sms"},
        ],
        stop_when=["booked", "opted_out", "objected"],
    ),
    Recipe(
        "nurture",
        "Nurture leads who have not booked",
        {"event": "enquiry_created"},
        [
            _wait_days(1),
            _send(T_NURTURE_1),
            _wait_days(3),
            _send(T_NURTURE_2),
            _wait_days(7),
            _send(T_NURTURE_3),
        ],
        conditions=[{"field": "consent", "op": "has", "value": "sms"}],
        stop_when=["booked", "replied", "opted_out", "objected"],
    ),
)


def _template(spec: TemplateSpec) -> MessageTemplate:
    template, _ = MessageTemplate.objects.get_or_create(
        name=spec.name,
        channel=spec.channel,
        defaults={"kind": spec.kind, "body_text": spec.body},
    )
    return template


def _resolve(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        if isinstance(step.get("template"), TemplateSpec):
            step = {**step, "template": str(_template(step["template"]).pk)}
        out.append(step)
    return out


def install(recipe: Recipe) -> Rule | None:
    """Add the recipe to the active clinic unless it has it; None when it had it."""
    if Rule.objects.filter(recipe=recipe.slug).exists():
        return None
    definition = clean_definition(
        recipe.trigger, recipe.conditions, _resolve(recipe.steps), recipe.stop_when
    )
    with transaction.atomic():
        rule = Rule.objects.create(
            name=recipe.name,
            recipe=recipe.slug,
            enabled=recipe.enabled,
            trigger_event=definition.trigger["event"],
        )
        version = RuleVersion.objects.create(
            rule=rule,
            number=1,
            trigger=definition.trigger,
            conditions=definition.conditions,
            actions=definition.actions,
            stop_when=definition.stop_when,
        )
        rule.current_version = version
        rule.save(update_fields=["current_version"])
    return rule


def install_all() -> list[Rule]:
    return [rule for recipe in RECIPES if (rule := install(recipe)) is not None]
