"""The workflow engine: events start runs; the scheduler takes each run's due steps.

Starting (``start``) happens inside the transaction of the event itself (the
booking, the enquiry, the inbound text), so a run exists exactly when its
event does. A run is unique per (rule, event key): a webhook delivered twice,
or a save repeated, starts nothing new. Steps are database work only — a
"send" step queues an outbox row that messaging sends exactly once — so
each claimed step commits together with the run's step pointer: a worker
killed mid-step leaves the step undone, never half-done or done twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Scope
from aescrm.audit.context import Actor, acting_as
from aescrm.automation import definitions, log, steps, timing
from aescrm.automation.conditions import Subject, first_failure
from aescrm.automation.models import Outcome, Rule, Run, RunLog, RunStatus
from aescrm.core.tenancy import clinic_scope, current_clinic_id, unscoped
from aescrm.messaging import policy
from aescrm.messaging.policy import ACCOUNT_READ_ONLY, MessageRefused
from aescrm.patients.models import Appointment, Enquiry, Patient

logger = logging.getLogger(__name__)

ACTOR = Actor(type="system", label="Automations")
LEASE = dt.timedelta(seconds=getattr(settings, "AUTOMATION_LEASE_SECONDS", 120))
# Small claims so that several workers share one clinic's backlog, not only clinics.
BATCH = 50
MAX_BATCHES = 50


def automation_caller(clinic_id: uuid.UUID) -> Caller:
    return Caller(
        clinic_id=clinic_id,
        scopes=(
            Scope.PATIENTS_WRITE.value,
            Scope.ENQUIRIES_WRITE.value,
            Scope.APPOINTMENTS_WRITE.value,
            Scope.MESSAGES_WRITE.value,
        ),
    )


@dataclass
class Event:
    kind: str
    key: str
    patient: Patient
    at: dt.datetime
    appointment: Appointment | None = None
    enquiry: Enquiry | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _rules(kind: str) -> list[Rule]:
    return list(
        Rule.objects.filter(enabled=True, trigger_event=kind, current_version__isnull=False)
        .select_related("current_version")
        .order_by("name")
    )


class _WakeClinic:
    """An on-commit callback that knows its clinic, so a transaction wakes the worker once."""

    def __init__(self, clinic_id: uuid.UUID) -> None:
        self.clinic_id = clinic_id

    def __call__(self) -> None:
        from aescrm.automation.tasks import run_clinic_automations

        run_clinic_automations(str(self.clinic_id))


def _wake_on_commit() -> None:
    clinic_id = current_clinic_id()
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        isinstance(entry[1], _WakeClinic) and entry[1].clinic_id == clinic_id
        for entry in conn.run_on_commit
    ):
        return
    transaction.on_commit(_WakeClinic(clinic_id))


def _start(
    rule: Rule,
    event: Event,
    *,
    now: dt.datetime,
    due: dt.datetime,
    anchor: dt.datetime | None = None,
    latest: dt.datetime | None = None,
) -> Run | None:
    """Start ``rule`` for ``event`` once: a Run, or a skipped Run saying why it did not fire."""
    version = rule.current_version
    assert version is not None
    if Run.objects.filter(rule=rule, event_key=event.key).exists():
        return None  # this event reached this rule before
    subject = Subject(event.patient, event.appointment, event.enquiry)
    problem = first_failure(version.conditions, subject)
    too_late = problem is None and due <= now and event.kind == "appointment_time"
    # An immediate reaction (an auto-reply) of a read-only account is skipped, not kept to
    # go days late on reactivation; a later step is scheduled and judged when due.
    blocked = (
        policy.account_refusal(current_clinic_id())
        if problem is None and not too_late and due <= now
        else None
    )
    status = RunStatus.SKIPPED if problem or too_late or blocked else RunStatus.SCHEDULED
    try:
        with transaction.atomic():
            run = Run.objects.create(
                rule=rule,
                version=version,
                patient=event.patient,
                event_key=event.key,
                appointment=event.appointment,
                enquiry=event.enquiry,
                anchor=anchor,
                status=status,
                due_at=due,  # kept when skipped: the appointment API shows what was skipped when
                latest_at=latest,
                finished_at=now if status == RunStatus.SKIPPED else None,
            )
    except IntegrityError:
        return None  # the same event, delivered twice at once: the other delivery started it
    common: dict[str, Any] = {
        "at": now,
        "rule": rule,
        "run": run,
        "event": event.kind,
        "event_key": event.key,
    }
    if problem:
        log.write(
            event.patient.pk, Outcome.NOT_FIRED, reason="condition_false", detail=problem, **common
        )
        return run
    if too_late:
        log.write(
            event.patient.pk,
            Outcome.SKIPPED,
            reason="too_late",
            detail=f"booked after this was due ({_local(due)}): skipped, not sent late",
            **common,
        )
        return run
    if blocked is not None:
        log.write(
            event.patient.pk,
            Outcome.SKIPPED,
            reason=ACCOUNT_READ_ONLY,
            detail=f"{blocked.detail}: this rule did not act",
            **common,
        )
        return run
    when = "now" if due <= now else f"for {_local(due)}"
    log.write(event.patient.pk, Outcome.FIRED, detail=f"started, first step {when}", **common)
    if due <= now:
        _wake_on_commit()
    return run


def _local(moment: dt.datetime) -> str:
    clinic = Clinic.objects.get(pk=current_clinic_id())
    local = timezone.localtime(moment, clinic.tz)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def emit(
    event: Event, *, now: dt.datetime | None = None, anchor: dt.datetime | None = None
) -> list[Run]:
    """Start every enabled rule triggered by ``event`` (in the caller's transaction).

    ``anchor``: the moment a run's first wait counts from (an appointment's start, so
    "aftercare the day after" means the day after the visit, not after the click).
    """
    now = now or timezone.now()
    runs = []
    for rule in _rules(event.kind):
        run = _start(rule, event, now=now, due=now, anchor=anchor)
        if run is not None:
            runs.append(run)
    return runs


# --- Appointments -------------------------------------------------------------------------

WANTS_UPCOMING = ("booked", "confirmed")


def appointment_time_key(appointment: Appointment, anchor: dt.datetime) -> str:
    return f"appointment_time:{appointment.pk}@{anchor.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def schedule_appointment_times(appointment: Appointment, *, now: dt.datetime) -> list[Run]:
    """Reminders and other steps timed from the appointment's start (at its current time)."""
    if appointment.status not in WANTS_UPCOMING:
        return []
    clinic = Clinic.objects.get(pk=current_clinic_id())
    anchor = appointment.starts_at
    event = Event(
        "appointment_time",
        appointment_time_key(appointment, anchor),
        appointment.patient,
        at=now,
        appointment=appointment,
    )
    runs = []
    for rule in _rules("appointment_time"):
        assert rule.current_version is not None
        offset = int(rule.current_version.trigger["offset_minutes"])
        due = timing.offset_from(anchor, offset, clinic.tz)
        latest = timing.latest_for(anchor, offset, due)
        revived = _revive(rule, event.key, due, latest, now)
        if revived is not None:
            runs.append(revived)
            continue
        run = _start(rule, event, now=now, due=due, anchor=anchor, latest=latest)
        if run is not None:
            runs.append(run)
    return runs


def _revive(
    rule: Rule, key: str, due: dt.datetime, latest: dt.datetime, now: dt.datetime
) -> Run | None:
    """An appointment moved back to a time it had: its cancelled, never-acted run resumes."""
    run = Run.objects.filter(rule=rule, event_key=key, status=RunStatus.CANCELLED, step=0).first()
    if run is None or due <= now:
        return None
    run.status, run.due_at, run.latest_at, run.finished_at = RunStatus.SCHEDULED, due, latest, None
    run.save(update_fields=["status", "due_at", "latest_at", "finished_at"])
    log.write(
        run.patient_id,
        Outcome.SCHEDULED,
        at=now,
        rule=rule,
        run=run,
        event="appointment_time",
        event_key=key,
        detail=f"the appointment is back at this time: due {_local(due)}",
    )
    return run


def cancel_appointment_runs(
    appointment: Appointment,
    *,
    reason: str,
    now: dt.datetime,
    keep_anchor: dt.datetime | None = None,
) -> int:
    """Stop what is pending for the appointment, and any of its messages not yet sent."""
    runs = Run.objects.filter(appointment=appointment).select_related("rule", "version")
    if keep_anchor is not None:  # a move: only what was timed from the old start
        runs = runs.filter(event_key__startswith="appointment_time:").exclude(anchor=keep_anchor)
    cancelled = 0
    for run in runs:
        if run.status == RunStatus.SCHEDULED:
            run.status, run.finished_at = RunStatus.CANCELLED, now
            run.save(update_fields=["status", "finished_at"])
            log.write(
                run.patient_id,
                Outcome.CANCELLED,
                at=now,
                rule=run.rule,
                run=run,
                event=run.rule.trigger_event,
                event_key=run.event_key,
                reason="appointment_changed",
                detail=reason,
            )
            cancelled += 1
        cancelled += steps.cancel_unsent_messages(run, reason=reason, now=now)
    return cancelled


def appointment_booked(appointment: Appointment, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    emit(
        Event(
            "appointment_booked",
            f"appointment_booked:{appointment.pk}",
            appointment.patient,
            at=now,
            appointment=appointment,
        ),
        now=now,
    )
    schedule_appointment_times(appointment, now=now)


STATUS_EVENTS = {
    "cancelled": "appointment_cancelled",
    "attended": "appointment_attended",
    "no_show": "appointment_no_show",
}


def appointment_changed(
    appointment: Appointment,
    *,
    previous_status: str,
    previous_start: dt.datetime,
    now: dt.datetime | None = None,
) -> None:
    """After an update: cancel or move what was timed from the old state, then emit."""
    now = now or timezone.now()
    status, moved = appointment.status, appointment.starts_at != previous_start
    if status != previous_status and status in STATUS_EVENTS:
        if status == "cancelled":
            cancel_appointment_runs(appointment, reason="the appointment was cancelled", now=now)
        kind = STATUS_EVENTS[status]
        emit(
            Event(
                kind,
                f"{kind}:{appointment.pk}",
                appointment.patient,
                at=now,
                appointment=appointment,
            ),
            now=now,
            anchor=appointment.starts_at,
        )
    if moved and status in WANTS_UPCOMING:
        cancel_appointment_runs(
            appointment,
            reason=f"the appointment moved to {_local(appointment.starts_at)}",
            now=now,
            keep_anchor=appointment.starts_at,
        )
        emit(
            Event(
                "appointment_rescheduled",
                appointment_time_key(appointment, appointment.starts_at).replace(
                    "appointment_time", "appointment_rescheduled"
                ),
                appointment.patient,
                at=now,
                appointment=appointment,
            ),
            now=now,
        )
    if status in WANTS_UPCOMING and (moved or previous_status not in WANTS_UPCOMING):
        schedule_appointment_times(appointment, now=now)


# --- Leads and messages ------------------------------------------------------------------


def enquiry_created(enquiry: Enquiry, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    event = Event(
        "enquiry_created", f"enquiry_created:{enquiry.pk}", enquiry.patient, at=now, enquiry=enquiry
    )
    emit(event, now=now)
    for rule in _rules("no_reply"):
        assert rule.current_version is not None
        after = dt.timedelta(minutes=int(rule.current_version.trigger["after_minutes"]))
        no_reply = Event(
            "no_reply", f"no_reply:{enquiry.pk}", enquiry.patient, at=now, enquiry=enquiry
        )
        _start(rule, no_reply, now=now, due=enquiry.created_at + after)


def stage_changed(enquiry: Enquiry, *, before: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    key = f"stage_changed:{enquiry.pk}:{before}>{enquiry.stage}@{now:%Y%m%dT%H%M%S.%fZ}"
    emit(
        Event(
            "stage_changed",
            key,
            enquiry.patient,
            at=now,
            enquiry=enquiry,
            data={"from": before, "to": enquiry.stage},
        ),
        now=now,
    )


def message_received(message: Any, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    emit(
        Event("message_received", f"message_received:{message.pk}", message.patient, at=now),
        now=now,
    )


# --- The scheduler -------------------------------------------------------------------------


def _unclaimed(now: dt.datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _due(now: dt.datetime) -> Any:
    return Run.objects.filter(status=RunStatus.SCHEDULED, due_at__lte=now).filter(_unclaimed(now))


def clinics_with_due_runs(now: dt.datetime) -> list[uuid.UUID]:
    with unscoped("automations: find the clinics with steps due"):
        return list(_due(now).order_by().values_list("clinic_id", flat=True).distinct())


def claim(now: dt.datetime, limit: int = BATCH) -> list[tuple[uuid.UUID, dt.datetime]]:
    """Lease up to ``limit`` due runs of the active clinic to this worker."""
    lease = now + LEASE
    with transaction.atomic():
        due = _due(now).order_by("due_at", "created_at")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            Run.objects.filter(pk__in=ids).update(claimed_until=lease)
    return [(pk, lease) for pk in ids]


def hold_for_account(problem: MessageRefused, now: dt.datetime) -> int:
    """The clinic's account is read-only: its due runs wait, untouched, and each one's log
    says why once. Restored, they are judged as any late step is (too late, stop rules)."""
    due = list(_due(now).values_list("pk", flat=True)[: BATCH * MAX_BATCHES])
    told = set(
        RunLog.objects.filter(run_id__in=due, reason=ACCOUNT_READ_ONLY).values_list(
            "run_id", flat=True
        )
    )
    runs = Run.objects.filter(pk__in=[pk for pk in due if pk not in told]).select_related(
        "rule", "version"
    )
    for run in runs:
        log.write(
            run.patient_id,
            Outcome.HELD,
            at=now,
            rule=run.rule,
            run=run,
            event=run.version.trigger["event"],
            event_key=run.event_key,
            step=run.step,
            reason=ACCOUNT_READ_ONLY,
            detail=f"{problem.detail}: this step waits",
        )
    return len(due)


def process_clinic(
    now: dt.datetime | None = None, after_batch: Callable[[], None] | None = None
) -> int:
    """Take the active clinic's due steps. ``now`` fixes the clock (tests);
    ``after_batch`` runs after each claimed batch (to send what it queued)."""
    clock = (lambda: now) if now is not None else timezone.now
    blocked = policy.account_refusal(current_clinic_id())
    if blocked is not None:
        hold_for_account(blocked, clock())
        return 0
    clinic = Clinic.objects.get(pk=current_clinic_id())
    caller = automation_caller(clinic.pk)
    done = 0
    with acting_as(ACTOR):
        for _ in range(MAX_BATCHES):
            claimed = claim(clock())
            if not claimed:
                break
            for run_id, lease in claimed:
                try:
                    if steps.advance(run_id, lease, clinic=clinic, caller=caller, now=clock()):
                        done += 1
                except Exception:
                    logger.exception(
                        "automation run %s failed; it is retried after its lease", run_id
                    )
            if after_batch is not None:
                after_batch()
    return done


@dataclass
class Sweep:
    """What a sweep did: steps taken, and messages sent right after them."""

    steps: int = 0
    sent: int = 0


def process_clinic_then_send(now: dt.datetime | None = None, sweep: Sweep | None = None) -> int:
    """Take the active clinic's due steps, then send what they queued, here and now.

    One send for the batch instead of a wake-up per step (each step commits on its own),
    and a reminder leaves as soon as its step is taken rather than behind other clinics'
    work in the task queue. A send that fails here is retried by the minute sweep.
    """
    from aescrm.messaging import services as messaging
    from aescrm.messaging import worker

    clinic_id = current_clinic_id()
    with messaging.wakes_collected() as queued_in:

        def send() -> None:
            if clinic_id not in queued_in:
                return
            queued_in.discard(clinic_id)
            try:
                sent = worker.process_clinic(now)
            except Exception:
                logger.exception("sending after automations failed; the minute sweep retries")
                return
            if sweep is not None:
                sweep.sent += sent

        done = process_clinic(now, after_batch=send)
    if sweep is not None:
        sweep.steps += done
    return done


def process_all(now: dt.datetime | None = None, sweep: Sweep | None = None) -> int:
    total = 0
    for clinic_id in clinics_with_due_runs(now or timezone.now()):
        with clinic_scope(clinic_id):
            try:
                total += process_clinic_then_send(now, sweep)
            except Exception:
                logger.exception("automations failed for clinic %s", clinic_id)
    return total


def trigger_label(trigger: dict[str, Any]) -> str:
    label = definitions.TRIGGERS.get(trigger.get("event", ""), trigger.get("event", ""))
    if trigger.get("event") == "appointment_time":
        return f"{timing.describe_offset(int(trigger['offset_minutes']))} the appointment"
    if trigger.get("event") == "no_reply":
        return f"No reply {timing.describe_offset(int(trigger['after_minutes']))} the enquiry"
    return label
