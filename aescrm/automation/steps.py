"""Taking a run's due steps, each committed together with the run's step pointer.

Before every step the run is checked again, because the world may have moved
on while it waited (or while no worker ran): the appointment cancelled or
moved, the patient opted out, replied or booked, the reminder's moment
passed. Whatever stops a run is written to the run log in plain words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, Membership
from aescrm.accounts.permissions import Role
from aescrm.analytics.services import record as record_usage
from aescrm.audit.services import audit_record
from aescrm.automation import log, sending, timing
from aescrm.automation.conditions import Subject
from aescrm.automation.models import Outcome, Rule, Run, RunLog, RunStatus, StaffNotification
from aescrm.core.problems import DomainError
from aescrm.messaging.models import Direction, Message, Status
from aescrm.messaging.policy import ACCOUNT_READ_ONLY, MessageRefused
from aescrm.patients.models import Appointment, ConsentEvent, LeadStage

BOOKED_STAGES = (LeadStage.CONSULTATION_BOOKED, LeadStage.TREATMENT_BOOKED, LeadStage.WON)
# A refused message that stops a sequence which stops on these.
STOPPING_REFUSALS = {"no_consent": "opted_out", "opted_out": "opted_out", "restricted": "objected"}
# Which appointment states a run still applies to, by its trigger.
STILL_APPLIES = {
    "appointment_booked": ("booked", "confirmed"),
    "appointment_rescheduled": ("booked", "confirmed"),
    "appointment_cancelled": ("cancelled",),
    "appointment_attended": ("attended",),
    "appointment_no_show": ("no_show",),
}


def cancel_unsent_messages(run: Run, *, reason: str, now: dt.datetime) -> int:
    """Messages the run queued that have not gone yet (e.g. held for quiet hours) go nowhere.

    Only rows never attempted: one mid-send is left to finish. Clearing the
    claim also fences a worker that claimed the row but has not begun.
    """
    ids = RunLog.objects.filter(run=run, message__isnull=False).values_list("message_id", flat=True)
    cancelled = Message.objects.filter(
        pk__in=list(ids), status=Status.QUEUED, attempt_key=""
    ).update(
        status=Status.CANCELLED,
        claimed_until=None,
        next_attempt_at=None,
        error_code="cancelled",
        error_reason=reason[:500],
        updated_at=now,
    )
    if cancelled:
        log.write(
            run.patient_id,
            Outcome.CANCELLED,
            at=now,
            rule=run.rule,
            run=run,
            event_key=run.event_key,
            reason="message_cancelled",
            detail=f"a message not yet sent was withdrawn: {reason}",
        )
    return cancelled


def _lock(run_id: uuid.UUID, lease: dt.datetime) -> Run | None:
    runs = Run.objects.filter(pk=run_id, claimed_until=lease, status=RunStatus.SCHEDULED)
    if connection.vendor == "postgresql":
        # Only the run's row: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer joins to the appointment and the enquiry (and no step needs those locked).
        runs = runs.select_for_update(of=("self",))
    return runs.select_related("rule", "version", "patient", "appointment", "enquiry").first()


def _appointment_stop(run: Run, trigger: str) -> str | None:
    appointment = run.appointment
    if appointment is None:
        return None
    appointment.refresh_from_db()
    if trigger == "appointment_time":
        offset = int(run.version.trigger["offset_minutes"])
        allowed = ("booked", "confirmed") if offset < 0 else ("booked", "confirmed", "attended")
        if appointment.status not in allowed:
            return f"the appointment is now {appointment.get_status_display().lower()}"
        if run.anchor is not None and appointment.starts_at != run.anchor:
            return "the appointment has moved"
        return None
    wanted = STILL_APPLIES.get(trigger)
    if wanted and appointment.status not in wanted:
        return f"the appointment is now {appointment.get_status_display().lower()}"
    return None


def _stop_reason(run: Run, now: dt.datetime) -> tuple[str, str] | None:
    """(reason code, words) if the run should not go on, else None."""
    trigger = run.version.trigger["event"]
    if not Rule.objects.filter(pk=run.rule_id, enabled=True).exists():
        # Edits leave runs on their version; switching a rule off stops them.
        return "rule_off", "the rule was switched off"
    patient = run.patient
    patient.refresh_from_db()
    changed = _appointment_stop(run, trigger)
    if changed:
        return "appointment_changed", changed
    if run.step == 0 and run.latest_at is not None and now > run.latest_at:
        return "too_late", (
            f"due {timing_words(run.due_at)} but not taken until {timing_words(now)}: "
            "skipped rather than sent late"
        )
    held = _held_too_long(run, now)
    if held:
        return "too_late", held
    since = run.created_at
    inbound = Message.objects.filter(
        patient=patient, direction=Direction.INBOUND, created_at__gt=since
    ).order_by("created_at")
    if trigger == "no_reply" and inbound.exists():
        return "replied", "the patient replied"
    stops = set(run.version.stop_when or ())
    if "objected" in stops and (patient.restricted or patient.objects_to_profiling):
        what = "restricted processing" if patient.restricted else "objected"
        return "objected", f"the patient {what}"
    if "opted_out" in stops:
        withdrawn = ConsentEvent.objects.filter(
            patient=patient, granted=False, recorded_at__gt=since
        ).first()
        if withdrawn is not None:
            return "opted_out", f"the patient opted out of marketing by {withdrawn.channel}"
    if "replied" in stops and inbound.exists():
        return "replied", "the patient replied"
    if "booked" in stops:
        booked = Appointment.objects.filter(patient=patient, created_at__gt=since).exists()
        if booked or (run.enquiry is not None and _enquiry_booked(run)):
            return "booked", "the patient has booked"
    if "complaint" in stops and "complaint" in {str(t).lower() for t in patient.tags or []}:
        return "complaint", "the patient has a complaint on record"
    return None


def _held_too_long(run: Run, now: dt.datetime) -> str | None:
    """A step that waited while the account was read-only goes within the hours a held
    message may (decision 0032), not days late when the account is restored."""
    limit = dt.timedelta(hours=settings.MESSAGING_HELD_MAX_HOURS)
    if run.due_at is None or now - run.due_at <= limit:
        return None
    if not RunLog.objects.filter(run=run, reason=ACCOUNT_READ_ONLY).exists():
        return None
    return (
        f"due {timing_words(run.due_at)} but held while the account was read-only: "
        "skipped rather than sent this late"
    )


def _enquiry_booked(run: Run) -> bool:
    assert run.enquiry is not None
    run.enquiry.refresh_from_db()
    return run.enquiry.stage in BOOKED_STAGES


def timing_words(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    clinic = Clinic.objects.get(pk=run_clinic_id())
    local = timezone.localtime(moment, clinic.tz)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def run_clinic_id() -> uuid.UUID:
    from aescrm.core.tenancy import current_clinic_id

    return current_clinic_id()


def _wait_base(run: Run, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """Where the first wait of this turn counts from, and whether that is the visit.

    From the visit (a run's anchor) for the first step of a run started by an
    attended or missed appointment, so "the day after" means after the visit;
    otherwise from when the step fell due, so a worker that ran late does not
    push the whole sequence back.
    """
    visit = run.anchor is not None and not run.event_key.startswith("appointment_time:")
    if run.step == 0 and visit and run.anchor is not None and run.anchor < now:
        return run.anchor, True
    return (run.due_at or now), False


def _finish(run: Run, status: RunStatus, now: dt.datetime) -> None:
    run.status, run.finished_at = status, now


def advance(
    run_id: uuid.UUID, lease: dt.datetime, *, clinic: Clinic, caller: Caller, now: dt.datetime
) -> bool:
    """Take the run's due steps (up to the next wait). False if another worker has it."""
    with transaction.atomic():
        run = _lock(run_id, lease)
        if run is None:
            return False
        actions = run.version.actions
        subject = Subject(run.patient, run.appointment, run.enquiry)
        base, from_visit = _wait_base(run, now)
        while run.status == RunStatus.SCHEDULED:
            if run.step >= len(actions):
                _finish(run, RunStatus.DONE, now)
                break
            stop = _stop_reason(run, now)
            if stop is not None:
                reason, words = stop
                status = (
                    RunStatus.CANCELLED if reason == "appointment_changed" else RunStatus.STOPPED
                )
                if reason == "too_late":
                    status = RunStatus.SKIPPED
                _write(
                    run,
                    Outcome.STOPPED if status == RunStatus.STOPPED else Outcome.SKIPPED,
                    now,
                    reason=reason,
                    detail=words,
                )
                _finish(run, status, now)
                break
            action = actions[run.step]
            if action["type"] == "wait":
                due = timing.after_wait(min(base, now), action, clinic.tz)
                if due > now:
                    run.due_at = due
                    _write(run, Outcome.SCHEDULED, now, detail=f"waiting until {timing_words(due)}")
                    run.step += 1
                    break
                if from_visit and now - due > timing.LATE_WAIT:
                    _write(
                        run,
                        Outcome.SKIPPED,
                        now,
                        reason="too_late",
                        detail=(
                            f"was due {timing_words(due)}, counted from the appointment: "
                            "skipped rather than sent this late"
                        ),
                    )
                    _finish(run, RunStatus.SKIPPED, now)
                    break
                # Over already (the visit was recorded late, or the worker was stopped).
                base, run.step = due, run.step + 1
                continue
            _do(run, action, subject, clinic=clinic, caller=caller, now=now)
            # Later waits count from this step, so two messages never go back to back.
            base, from_visit, run.step = now, False, run.step + 1
        run.claimed_until = None
        run.attempts += 1
        run.save(
            update_fields=["status", "step", "due_at", "claimed_until", "attempts", "finished_at"]
        )
    return True


def _write(run: Run, outcome: Outcome, now: dt.datetime, **kw: Any) -> None:
    log.write(
        run.patient_id,
        outcome,
        at=now,
        rule=run.rule,
        run=run,
        event=run.version.trigger["event"],
        event_key=run.event_key,
        step=run.step,
        **kw,
    )


def _do(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    *,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    """One step. A refusal or failure is logged and the sequence goes on unless it says stop."""
    try:
        with transaction.atomic():
            DOERS[action["type"]](run, action, subject, clinic, caller, now)
    except MessageRefused as exc:
        _write(run, Outcome.NOT_SENT, now, reason=exc.reason, detail=exc.detail)
        stop_on = STOPPING_REFUSALS.get(exc.reason)
        if stop_on and stop_on in (run.version.stop_when or ()):
            _write(run, Outcome.STOPPED, now, reason=exc.reason, detail="the sequence stops here")
            _finish(run, RunStatus.STOPPED, now)
    except DomainError as exc:
        _write(run, Outcome.FAILED, now, reason="step_failed", detail=exc.detail)


def _send(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    template = sending.template_for(action, subject.treatment)
    if template is None:
        raise DomainError("the template this step sends was deleted or switched off")
    message = sending.send_template(
        caller=caller,
        clinic=clinic,
        patient=run.patient,
        template=template,
        appointment=run.appointment,
    )
    record_usage("automation_message_sent", clinic.pk)
    if run.anchor is not None and now < run.anchor:
        # Timed from an appointment and before it: a reminder.
        record_usage("reminder_sent", clinic.pk)
    if message.send_after is not None and message.send_after > now:
        _write(
            run,
            Outcome.HELD,
            now,
            reason="quiet_hours",
            message=message,
            detail=f"'{template.name}' by {template.channel} queued, held for quiet hours "
            f"until {timing_words(message.send_after)}",
        )
    else:
        _write(
            run,
            Outcome.SENT,
            now,
            message=message,
            detail=f"'{template.name}' by {template.channel} queued to send now",
        )


def _task(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    from aescrm.pipeline.services import task_create

    assignee = assignee_for(run, subject)
    if assignee is None:
        raise DomainError("no member of staff can take tasks")
    task_create(
        caller=caller,
        kind=action["kind"],
        due_at=now + dt.timedelta(minutes=action["due_minutes"]),
        assignee_id=assignee,
        enquiry=subject.lead,
        note=action["note"],
    )
    _write(run, Outcome.DONE, now, detail=f"task for staff: {action['note']}")


def assignee_for(run: Run, subject: Subject) -> uuid.UUID | None:
    """The lead's owner, else the patient's, else the first receptionist, manager or owner
    (only members who work leads: a task given to anyone else would go unseen)."""
    from aescrm.pipeline.staff import staff_of

    staff = {user.pk for user in staff_of(run.clinic_id)}
    lead = subject.lead
    for candidate in (lead.assigned_to_id if lead else None, run.patient.owner_id):
        if candidate in staff:
            return candidate
    for role in (Role.RECEPTIONIST, Role.MANAGER, Role.OWNER):
        member = (
            Membership.objects.filter(clinic_id=run.clinic_id, role=role, user__is_active=True)
            .order_by("created_at")
            .first()
        )
        if member is not None:
            return member.user_id
    return None


def _assign(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    from aescrm.pipeline.services import lead_assign, round_robin_assign

    lead = subject.lead
    if lead is None:
        raise DomainError("there is no enquiry to assign")
    if action["to"] == "round_robin":
        round_robin_assign(lead)
    else:
        lead_assign(caller=caller, enquiry=lead, user_id=action["to"])
    _write(run, Outcome.DONE, now, detail="lead assigned")


def _stage(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    from aescrm.pipeline.services import lead_move

    lead = subject.lead
    if lead is None:
        raise DomainError("there is no enquiry to move")
    lead_move(caller=caller, enquiry=lead, stage=action["to"])
    _write(run, Outcome.DONE, now, detail=f"lead moved to {LeadStage(action['to']).label}")


def _tag(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    patient = run.patient
    tags = list(patient.tags or [])
    if action["tag"].lower() not in {str(t).lower() for t in tags}:
        patient.tags = [*tags, action["tag"]]
        patient.save(update_fields=["tags", "updated_at"])
        audit_record(
            "patient.update",
            object_type="patient",
            object_id=patient.pk,
            detail={"fields": ["tags"], "by": "automation"},
        )
    _write(run, Outcome.DONE, now, detail=f"tagged '{action['tag']}'")


def _notify(
    run: Run,
    action: dict[str, Any],
    subject: Subject,
    clinic: Clinic,
    caller: Caller,
    now: dt.datetime,
) -> None:
    StaffNotification.objects.create(
        patient=run.patient, role=action["role"], text=action["text"], run=run
    )
    _write(run, Outcome.DONE, now, detail=f"staff notified: {action['text']}")


DOERS = {
    "send": _send,
    "task": _task,
    "assign": _assign,
    "stage": _stage,
    "tag": _tag,
    "notify": _notify,
}
