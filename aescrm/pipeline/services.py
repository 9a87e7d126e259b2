"""Writes to the pipeline: stage moves, assignment, contacts, alerts, tasks, settings.

Every write checks the caller's permission, runs in one transaction and is
audited with field names and codes, never patient data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.patients.models import (
    STATUS_OF_STAGE,
    Enquiry,
    LeadStage,
    LostReason,
)
from aescrm.pipeline import hours as opening
from aescrm.pipeline.models import (
    AlertKind,
    LeadAlert,
    PipelineSettings,
    StaffTask,
    TaskKind,
)
from aescrm.pipeline.staff import round_robin_pool, staff_member

S = LeadStage
# Where a lead may go from each stage. Forward steps may skip ahead up to a
# booked treatment; "won" only follows a booked treatment; a step back undoes
# a booking that fell through; a lost lead can be reopened as contacted.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.CONTACTED, S.CONSULTATION_BOOKED, S.TREATMENT_BOOKED, S.LOST}),
    S.CONTACTED: frozenset({S.CONSULTATION_BOOKED, S.TREATMENT_BOOKED, S.LOST}),
    S.CONSULTATION_BOOKED: frozenset({S.CONTACTED, S.TREATMENT_BOOKED, S.LOST}),
    S.TREATMENT_BOOKED: frozenset({S.CONSULTATION_BOOKED, S.WON, S.LOST}),
    S.WON: frozenset(),
    S.LOST: frozenset({S.CONTACTED}),
}
NOTE_MAX = 500


def settings_for() -> PipelineSettings:
    """The active clinic's pipeline settings, created with the defaults on first use."""
    found = PipelineSettings.objects.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PipelineSettings.objects.create()
    except IntegrityError:  # created by a concurrent request
        return PipelineSettings.objects.get()


def settings_update(
    *,
    caller: Caller,
    round_robin: bool | None = None,
    response_limit_minutes: int | None = None,
    opening_hours: Any = None,
) -> list[str]:
    caller.require(Perm.SETTINGS_MANAGE)
    changed = []
    with transaction.atomic():
        settings = settings_for()
        if round_robin is not None and round_robin != settings.round_robin:
            settings.round_robin = round_robin
            changed.append("round_robin")
        if response_limit_minutes is not None:
            if not 1 <= response_limit_minutes <= 1440:
                raise ValidationFailed(
                    "the response limit must be 1 to 1440 minutes", field="response_limit_minutes"
                )
            if response_limit_minutes != settings.response_limit_minutes:
                settings.response_limit_minutes = response_limit_minutes
                changed.append("response_limit_minutes")
        if opening_hours is not None:
            clean = opening.validate_hours(opening_hours)
            if clean != settings.opening_hours:
                settings.opening_hours = clean
                changed.append("opening_hours")
        if changed:
            settings.save()
            audit_record(
                "pipeline.settings.update",
                object_type="pipeline_settings",
                detail={"fields": changed},
            )
    return changed


def _lock(enquiry: Enquiry) -> Enquiry:
    return Enquiry.objects.select_for_update().get(pk=enquiry.pk)


def _first_response(enquiry: Enquiry, now: dt.datetime) -> bool:
    if enquiry.first_response_at is not None:
        return False
    enquiry.first_response_at = now
    LeadAlert.objects.filter(enquiry=enquiry, resolved_at__isnull=True).update(resolved_at=now)
    return True


def _check_lost_reason(lost_reason: str, lost_note: str) -> None:
    if not lost_reason:
        raise ValidationFailed("say why the lead was lost", field="lost_reason")
    if lost_reason not in LostReason.values:
        raise ValidationFailed(
            f"lost_reason must be one of {', '.join(LostReason.values)}", field="lost_reason"
        )
    if lost_reason == LostReason.OTHER and not lost_note:
        raise ValidationFailed("describe the reason in a few words", field="lost_note")
    if len(lost_note) > 200:
        raise ValidationFailed("lost_note is longer than 200 characters", field="lost_note")


def lead_move(
    *,
    caller: Caller,
    enquiry: Enquiry,
    stage: str,
    lost_reason: str = "",
    lost_note: str = "",
    now: dt.datetime | None = None,
) -> list[str]:
    """Move a lead to another stage, or explain (naming the field) why it may not go there."""
    caller.require(Perm.ENQUIRY_EDIT)
    now = now or timezone.now()
    if stage not in LeadStage.values:
        raise ValidationFailed(
            f"stage must be one of {', '.join(LeadStage.values)}, not {stage!r}", field="stage"
        )
    lost_reason, lost_note = (lost_reason or "").strip(), (lost_note or "").strip()
    with transaction.atomic():
        locked = _lock(enquiry)
        before = locked.stage
        if stage == before and not (stage == S.LOST and lost_reason):
            if lost_reason or lost_note:
                raise ValidationFailed("only a lost lead has a lost reason", field="lost_reason")
            return []
        if stage != before and stage not in ALLOWED_MOVES[before]:
            hint = " (book the treatment first)" if stage == S.WON else ""
            raise ValidationFailed(
                f"a lead cannot move from {LeadStage(before).label} to "
                f"{LeadStage(stage).label}{hint}",
                field="stage",
            )
        changed = ["stage", "status", "stage_changed_at"]
        if stage == S.LOST:
            _check_lost_reason(lost_reason, lost_note)
            locked.lost_reason, locked.lost_note = lost_reason, lost_note or None
            changed += ["lost_reason", "lost_note"]
        elif lost_reason or lost_note:
            raise ValidationFailed("only a lost lead has a lost reason", field="lost_reason")
        elif before == S.LOST:
            locked.lost_reason, locked.lost_note = "", None
            changed += ["lost_reason", "lost_note"]
        locked.stage = stage
        locked.status = STATUS_OF_STAGE[LeadStage(stage)]
        locked.stage_changed_at = now
        if _first_response(locked, now):
            changed.append("first_response_at")
        locked.save(update_fields=changed)
        audit_record(
            "lead.stage",
            object_type="enquiry",
            object_id=locked.pk,
            detail={"from": before, "to": stage, "lost_reason": locked.lost_reason or None},
        )
        if stage != before:
            from aescrm.automation import engine

            engine.stage_changed(locked, before=before, now=now)
    for name in changed:
        setattr(enquiry, name, getattr(locked, name))
    return changed


def lead_log_contact(*, caller: Caller, enquiry: Enquiry, now: dt.datetime | None = None) -> bool:
    """A call, message or conversation with the lead: stops its speed-to-lead clock."""
    caller.require(Perm.ENQUIRY_EDIT)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(enquiry)
        first = _first_response(locked, now)
        if first:
            locked.save(update_fields=["first_response_at"])
        audit_record(
            "lead.contact", object_type="enquiry", object_id=locked.pk, detail={"first": first}
        )
    enquiry.first_response_at = locked.first_response_at
    return first


def lead_assign(*, caller: Caller, enquiry: Enquiry, user_id: Any) -> bool:
    """Give the lead to a staff member of the same clinic (None: unassign)."""
    caller.require(Perm.ENQUIRY_EDIT)
    user = (
        staff_member(caller.clinic_id, user_id, field="assigned_to")
        if user_id not in (None, "")
        else None
    )
    with transaction.atomic():
        locked = _lock(enquiry)
        new_id = user.pk if user else None
        if locked.assigned_to_id == new_id:
            return False
        locked.assigned_to_id = new_id
        locked.save(update_fields=["assigned_to"])
        audit_record(
            "lead.assign",
            object_type="enquiry",
            object_id=locked.pk,
            detail={"assigned_to": str(new_id) if new_id else None, "by": "staff"},
        )
    enquiry.assigned_to_id = locked.assigned_to_id
    return True


def round_robin_assign(enquiry: Enquiry) -> uuid.UUID | None:
    """Give a new, unassigned lead to the next lead-staff member in turn, if the clinic wants.

    The clinic's settings row is locked for the turn, so two leads arriving
    at once go to two different people.
    """
    if enquiry.assigned_to_id is not None:
        return None
    # Most clinics have it off: they need no lock, so their enquiries never
    # queue behind one another's on the settings row.
    if not settings_for().round_robin:
        return None
    with transaction.atomic():
        settings = PipelineSettings.objects.select_for_update().get()
        if not settings.round_robin:
            return None
        pool = round_robin_pool(enquiry.clinic_id)
        if not pool:
            return None
        last = settings.last_assigned_id
        chosen = pool[(pool.index(last) + 1) % len(pool)] if last in pool else pool[0]
        settings.last_assigned_id = chosen
        settings.save(update_fields=["last_assigned", "updated_at"])
        Enquiry.objects.filter(pk=enquiry.pk).update(assigned_to_id=chosen)
        enquiry.assigned_to_id = chosen
        audit_record(
            "lead.assign",
            object_type="enquiry",
            object_id=enquiry.pk,
            detail={"assigned_to": str(chosen), "by": "round_robin"},
        )
    return chosen


def lead_due_at(enquiry: Enquiry, settings: PipelineSettings, tz: Any) -> dt.datetime | None:
    """When a new lead should have had its first response."""
    return opening.due_at(
        enquiry.created_at,
        dt.timedelta(minutes=settings.response_limit_minutes),
        settings.opening_hours,
        tz,
    )


def raise_overdue_alerts_for_clinic(clinic: Clinic, now: dt.datetime) -> int:
    """One alert per new lead left uncontacted past the clinic's limit (opening hours only)."""
    raised = 0
    with clinic_scope(clinic.pk):
        settings = settings_for()
        waiting = Enquiry.objects.filter(
            stage=LeadStage.NEW, first_response_at__isnull=True
        ).exclude(pk__in=LeadAlert.objects.filter(kind=AlertKind.UNCONTACTED).values("enquiry_id"))
        for enquiry in waiting.only("pk", "created_at", "clinic_id"):
            due = lead_due_at(enquiry, settings, clinic.tz)
            if due is None or due > now:
                continue
            try:
                with transaction.atomic():
                    alert = LeadAlert.objects.create(
                        enquiry=enquiry, kind=AlertKind.UNCONTACTED, raised_at=now, due_at=due
                    )
                    audit_record(
                        "lead.alert",
                        object_type="enquiry",
                        object_id=enquiry.pk,
                        detail={"alert": str(alert.pk), "kind": AlertKind.UNCONTACTED.value},
                    )
            except IntegrityError:  # another worker raised it first
                continue
            raised += 1
    return raised


def raise_overdue_alerts(now: dt.datetime | None = None) -> int:
    """System job: every clinic with new leads waiting."""
    now = now or timezone.now()
    with unscoped("pipeline: find clinics with new leads waiting for a first response"):
        clinic_ids = set(
            Enquiry.objects.filter(stage=LeadStage.NEW, first_response_at__isnull=True).values_list(
                "clinic_id", flat=True
            )
        )
    return sum(
        raise_overdue_alerts_for_clinic(clinic, now)
        for clinic in Clinic.objects.filter(pk__in=clinic_ids).order_by("pk")
    )


def task_create(
    *,
    caller: Caller,
    kind: str,
    due_at: dt.datetime,
    assignee_id: Any,
    enquiry: Enquiry | None = None,
    note: str = "",
) -> StaffTask:
    caller.require(Perm.ENQUIRY_EDIT)
    if kind not in TaskKind.values:
        raise ValidationFailed(f"kind must be one of {', '.join(TaskKind.values)}", field="kind")
    if due_at.tzinfo is None:
        raise ValidationFailed("the due time needs a time zone", field="due_at")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"note is longer than {NOTE_MAX} characters", field="note")
    assignee = staff_member(caller.clinic_id, assignee_id, field="assignee")
    with transaction.atomic():
        task = StaffTask.objects.create(
            kind=kind,
            due_at=due_at.astimezone(dt.UTC),
            assignee=assignee,
            enquiry=enquiry,
            note=note or None,
            created_by_id=caller.user_id,
        )
        audit_record(
            "task.create",
            object_type="task",
            object_id=task.pk,
            detail={"enquiry": str(enquiry.pk) if enquiry else None, "assignee": str(assignee.pk)},
        )
    return task


def task_done(*, caller: Caller, task: StaffTask, now: dt.datetime | None = None) -> bool:
    caller.require(Perm.ENQUIRY_EDIT)
    if task.done_at is not None:
        return False
    with transaction.atomic():
        task.done_at = now or timezone.now()
        task.save(update_fields=["done_at"])
        audit_record("task.done", object_type="task", object_id=task.pk)
    return True
