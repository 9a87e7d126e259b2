"""Writes of automation rules and their settings: checked, versioned and audited.

Every definition goes through ``definitions.clean_definition``; on top of it
this module checks that what a rule names (templates, treatments, members)
belongs to the clinic, so a rule can never point at another clinic's rows.
An edit that changes the definition adds a ``RuleVersion`` (number + 1); runs
already under way keep the version they started with.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Membership
from aescrm.accounts.permissions import Perm
from aescrm.analytics.services import record as record_usage
from aescrm.audit.services import audit_record
from aescrm.automation.definitions import Definition, clean_definition
from aescrm.automation.models import AutomationSettings, Rule, RuleVersion, StaffNotification
from aescrm.core.problems import Conflict, NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients.models import Treatment
from aescrm.templating.models import MessageTemplate

NAME_MAX = 120


@dataclass
class RuleInput:
    name: str
    trigger: dict[str, Any]
    conditions: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    stop_when: list[str] = field(default_factory=list)


def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("give the rule a name", field="name")
    if len(name) > NAME_MAX:
        raise ValidationFailed(f"a name has at most {NAME_MAX} characters", field="name")
    return name


def _check_references(definition: Definition) -> None:
    """Templates, treatments and members a rule names must be this clinic's (tenant-scoped
    reads: another clinic's id is simply not found)."""
    for index, action in enumerate(definition.actions):
        where = f"actions.{index}"
        if action["type"] == "send":
            wanted = {action["template"], *action.get("templates_by_treatment", {}).values()}
            found = {
                str(pk)
                for pk in MessageTemplate.objects.filter(pk__in=wanted).values_list("pk", flat=True)
            }
            if wanted - found:
                raise ValidationFailed(
                    f"step {index + 1} (send a template) names a template this clinic does not "
                    "have",
                    field=where,
                )
            inactive = MessageTemplate.objects.filter(pk__in=wanted, active=False).first()
            if inactive is not None:
                raise ValidationFailed(
                    f"step {index + 1} (send a template): '{inactive.name}' is switched off",
                    field=where,
                )
            treatments = set(action.get("templates_by_treatment", {}))
            if treatments and Treatment.objects.filter(pk__in=treatments).count() != len(
                treatments
            ):
                raise ValidationFailed(
                    f"step {index + 1} (send a template) names a treatment this clinic does "
                    "not have",
                    field=where,
                )
        if action["type"] == "assign" and action["to"] != "round_robin":
            member = Membership.objects.filter(
                clinic_id=current_clinic_id(), user_id=action["to"], user__is_active=True
            ).exists()
            if not member:
                raise ValidationFailed(
                    f"step {index + 1} (assign the lead) names someone who is not a member of "
                    "this clinic",
                    field=where,
                )
    for index, condition in enumerate(definition.conditions):
        if condition["field"] == "treatment":
            ids = set(condition["value"])
            if Treatment.objects.filter(pk__in=ids).count() != len(ids):
                raise ValidationFailed(
                    f"condition {index + 1} names a treatment this clinic does not have",
                    field=f"conditions.{index}",
                )


def _clean(data: RuleInput) -> tuple[str, Definition]:
    name = clean_name(data.name)
    definition = clean_definition(data.trigger, data.conditions, data.actions, data.stop_when)
    _check_references(definition)
    return name, definition


def _add_version(rule: Rule, definition: Definition, caller: Caller, number: int) -> RuleVersion:
    version = RuleVersion.objects.create(
        rule=rule,
        number=number,
        trigger=definition.trigger,
        conditions=definition.conditions,
        actions=definition.actions,
        stop_when=definition.stop_when,
        created_by_id=caller.user_id,
    )
    rule.current_version = version
    rule.trigger_event = definition.trigger["event"]
    return version


def _name_taken(name: str, exclude: uuid.UUID | None = None) -> bool:
    rules = Rule.objects.filter(name__iexact=name)
    if exclude is not None:
        rules = rules.exclude(pk=exclude)
    return rules.exists()


def rule_create(*, caller: Caller, data: RuleInput, enabled: bool = True) -> Rule:
    caller.require(Perm.AUTOMATION_EDIT)
    name, definition = _clean(data)
    if _name_taken(name):
        raise ValidationFailed(f"there is already a rule called '{name}'", field="name")
    try:
        with transaction.atomic():
            rule = Rule.objects.create(
                name=name, enabled=enabled, trigger_event=definition.trigger["event"]
            )
            version = _add_version(rule, definition, caller, 1)
            rule.save(update_fields=["current_version", "trigger_event", "updated_at"])
            audit_record(
                "automation.rule.create",
                object_type="automation_rule",
                object_id=rule.pk,
                detail={"version": version.number, "trigger": definition.trigger["event"]},
            )
    except IntegrityError as exc:
        raise ValidationFailed(f"there is already a rule called '{name}'", field="name") from exc
    return rule


def _same(version: RuleVersion | None, definition: Definition) -> bool:
    return version is not None and (
        version.trigger,
        version.conditions,
        version.actions,
        version.stop_when,
    ) == (definition.trigger, definition.conditions, definition.actions, definition.stop_when)


def rule_update(*, caller: Caller, rule: Rule, data: RuleInput) -> RuleVersion | None:
    """Save an edit: a new version if the definition changed (None if it did not).

    Runs already started keep the version they began on (``Run.version``).
    """
    caller.require(Perm.AUTOMATION_EDIT)
    name, definition = _clean(data)
    if _name_taken(name, exclude=rule.pk):
        raise ValidationFailed(f"there is already a rule called '{name}'", field="name")
    try:
        with transaction.atomic():
            rows = Rule.objects.filter(pk=rule.pk)
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(of=("self",))
            locked = rows.select_related("current_version").first()
            if locked is None:
                raise NotFound("no such rule")
            changed_fields = []
            version = None
            if not _same(locked.current_version, definition):
                last = RuleVersion.objects.filter(rule=locked).order_by("-number").first()
                version = _add_version(locked, definition, caller, (last.number if last else 0) + 1)
                changed_fields += ["current_version", "trigger_event"]
            if locked.name != name:
                locked.name = name
                changed_fields.append("name")
            if not changed_fields:
                return None
            locked.save(update_fields=[*changed_fields, "updated_at"])
            audit_record(
                "automation.rule.update",
                object_type="automation_rule",
                object_id=rule.pk,
                detail={
                    "fields": changed_fields,
                    "version": locked.current_version.number if locked.current_version else None,
                },
            )
    except IntegrityError as exc:
        # The same rule edited twice at once: both wanted the same version number.
        raise Conflict("someone else saved this rule at the same moment: open it again") from exc
    rule.refresh_from_db()
    return version


def rule_set_enabled(*, caller: Caller, rule: Rule, enabled: bool) -> bool:
    """Switch a rule on or off; True if it changed. Runs under way are left to finish."""
    caller.require(Perm.AUTOMATION_EDIT)
    if rule.enabled == enabled:
        return False
    if enabled and rule.recipe == "review_request":
        row = AutomationSettings.objects.first()
        if row is None or not row.review_url:
            raise ValidationFailed(
                "set the review link under Automations → Settings before switching this on",
                field="enabled",
            )
    with transaction.atomic():
        Rule.objects.filter(pk=rule.pk).update(enabled=enabled)
        audit_record(
            "automation.rule.enable" if enabled else "automation.rule.disable",
            object_type="automation_rule",
            object_id=rule.pk,
        )
        if enabled:
            record_usage("automation_rule_enabled", caller.clinic_id, caller.user_id)
    rule.enabled = enabled
    return True


_https = URLValidator(schemes=["https"])


def _clean_link(value: str, field_name: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 500:
        raise ValidationFailed(f"the {label} has at most 500 characters", field=field_name)
    if urlsplit(value).scheme.lower() != "https":
        raise ValidationFailed(
            f"the {label} must start with https:// (patients open it on their phones)",
            field=field_name,
        )
    try:
        _https(value)
    except DjangoValidationError as exc:
        raise ValidationFailed(f"the {label} is not a web address", field=field_name) from exc
    return value


def settings_update(*, caller: Caller, booking_url: str, review_url: str) -> AutomationSettings:
    caller.require(Perm.AUTOMATION_EDIT)
    booking = _clean_link(booking_url, "booking_url", "booking link")
    review = _clean_link(review_url, "review_url", "review link")
    with transaction.atomic():
        row = AutomationSettings.objects.first() or AutomationSettings()
        changed = [
            name
            for name, value in (("booking_url", booking), ("review_url", review))
            if getattr(row, name) != value
        ]
        row.booking_url, row.review_url = booking, review
        row.save()
        if changed:
            audit_record(
                "automation.settings.update",
                object_type="automation_settings",
                object_id=row.pk,
                detail={"fields": changed},
            )
    return row


def notification_mark_read(*, caller: Caller, notification_id: Any, now: Any) -> StaffNotification:
    """Mark a dashboard notification read (for everyone it was for)."""
    from aescrm.automation.selectors import notifications_for

    try:
        pk = uuid.UUID(str(notification_id))
    except ValueError as exc:
        raise NotFound("no such notification") from exc
    notification = notifications_for(caller=caller, unread_only=False).filter(pk=pk).first()
    if notification is None:
        raise NotFound("no such notification")
    if notification.read_at is None:
        with transaction.atomic():
            StaffNotification.objects.filter(pk=pk, read_at__isnull=True).update(
                read_at=now, read_by_id=caller.user_id
            )
            audit_record(
                "automation.notification.read_mark",
                object_type="staff_notification",
                object_id=pk,
            )
        notification.refresh_from_db()
    return notification
