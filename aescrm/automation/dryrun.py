"""What every enabled rule would do for one patient now, without doing it.

The dry run asks the same questions as the engine (conditions, "too late",
the sending policy, quiet hours, stop conditions) and answers in the same
words, but writes nothing except its audit entry: no Run, no RunLog, no
message. Appointment-timed rules are tried against each upcoming
appointment; event rules against the patient's latest appointment or enquiry,
as if the event happened now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.automation import sending, timing, words
from aescrm.automation.conditions import Subject, first_failure
from aescrm.automation.definitions import APPOINTMENT_TRIGGERS
from aescrm.automation.engine import STATUS_EVENTS, WANTS_UPCOMING, appointment_time_key
from aescrm.automation.models import Rule, Run
from aescrm.automation.steps import STOPPING_REFUSALS
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.messaging import policy
from aescrm.messaging.services import settings_of_clinic
from aescrm.patients.models import Appointment, Enquiry, Patient
from aescrm.patients.selectors import patient_get
from aescrm.templating.rendering import render

ENQUIRY_TRIGGERS = frozenset({"enquiry_created", "stage_changed", "no_reply"})
UPCOMING_MAX = 10


OUTCOME_LABELS = {
    "sent": "would be sent",
    "held": "held",
    "refused": "would be refused",
    "failed": "would fail",
    "done": "would be done",
    "wait": "waits",
    "stopped": "stops",
    "skipped": "skipped",
}


@dataclass
class Step:
    number: int
    action: str
    outcome: str  # sent, held, refused, failed, done, wait, stopped
    detail: str
    at: dt.datetime | None = None
    reason: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass
class Trial:
    """One rule tried against one appointment, enquiry or event."""

    rule: Rule
    version: int
    trigger: str
    about: str
    # would_run, not_fired, skipped, nothing_to_try
    outcome: str
    reason: str = ""
    detail: str = ""
    due: dt.datetime | None = None
    existing: str = ""
    steps: list[Step] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The first thing a receptionist wants: would a message go, and if not, why."""
        if self.outcome != "would_run":
            return self.detail
        for step in self.steps:
            if step.outcome in ("sent", "held", "refused", "failed", "stopped", "skipped"):
                return step.detail
        return self.steps[0].detail if self.steps else self.detail


def _local(moment: dt.datetime, clinic: Clinic) -> str:
    local = timezone.localtime(moment, clinic.tz)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


class _Trier:
    def __init__(self, patient: Patient, clinic: Clinic, now: dt.datetime) -> None:
        self.patient, self.clinic, self.now = patient, clinic, now
        self.messaging = settings_of_clinic()
        self.names: words.Names | None = None

    def _stop_at_start(self, stops: list[str]) -> str | None:
        patient = self.patient
        if "objected" in stops and (patient.restricted or patient.objects_to_profiling):
            return "the patient " + ("restricted processing" if patient.restricted else "objected")
        if "complaint" in stops and "complaint" in {str(t).lower() for t in patient.tags or []}:
            return "the patient has a complaint on record"
        return None

    def steps(
        self,
        rule: Rule,
        subject: Subject,
        start: dt.datetime,
        visit: dt.datetime | None = None,
    ) -> list[Step]:
        """The steps from ``start``, timed as ``steps.advance`` times them: a run started by
        a visit counts its first wait from the visit; later waits from the step before."""
        version = rule.current_version
        assert version is not None and self.names is not None
        out: list[Step] = []
        moment = start
        base, from_visit = (visit, True) if visit is not None and visit < start else (start, False)
        for number, action in enumerate(version.actions, start=1):
            said = words.action(action, self.names)
            stop = self._stop_at_start(list(version.stop_when or ()))
            if stop:
                out.append(Step(number, said, "stopped", f"{stop}: the sequence would stop here"))
                break
            if action["type"] == "wait":
                due = timing.after_wait(min(base, moment), action, self.clinic.tz)
                if due > moment:
                    moment = base = due
                    out.append(Step(number, said, "wait", f"until {_local(due, self.clinic)}", due))
                    continue
                if from_visit and moment - due > timing.LATE_WAIT:
                    out.append(
                        Step(
                            number,
                            said,
                            "skipped",
                            f"was due {_local(due, self.clinic)}, counted from the "
                            "appointment: skipped rather than sent this late",
                            due,
                            "too_late",
                        )
                    )
                    break
                base = due
                out.append(Step(number, said, "wait", "already over", due))
                continue
            if action["type"] != "send":
                out.append(Step(number, said, "done", "would be done", moment))
            else:
                step = self._send(number, said, action, subject, moment)
                out.append(step)
                stop_on = STOPPING_REFUSALS.get(step.reason)
                if step.outcome == "refused" and stop_on and stop_on in (version.stop_when or ()):
                    out.append(Step(number, said, "stopped", "the sequence would stop here"))
                    break
            base, from_visit = moment, False
        return out

    def _send(
        self, number: int, said: str, action: dict[str, Any], subject: Subject, at: dt.datetime
    ) -> Step:
        template = sending.template_for(action, subject.treatment)
        if template is None:
            return Step(
                number,
                said,
                "failed",
                "the template this step sends was deleted or switched off",
                at,
                "step_failed",
            )
        problem = policy.refusal(self.patient, channel=template.channel, kind=template.kind)
        if problem is not None:
            problem = policy.explained(problem, self.patient, template.channel)
            return Step(number, said, "refused", problem.detail, at, problem.reason)
        try:
            render(
                template,
                clinic=self.clinic,
                patient=self.patient,
                appointment=subject.appointment,
                links=sending.links_for(self.clinic, self.patient),
            )
        except ValidationFailed as exc:
            detail = exc.detail
            if exc.field in ("booking_link", "review_link"):
                detail = (
                    f"'{template.name}' uses {{{{ {exc.field} }}}}: set the link under "
                    "Automations → Settings"
                )
            return Step(number, said, "failed", detail, at, "step_failed")
        opens = at
        if template.channel in policy.QUIET_HOURS_CHANNELS:
            opens = policy.window_opens(at, self.messaging, self.clinic.tz)
        if opens > at:
            return Step(
                number,
                said,
                "held",
                f"'{template.name}' by {template.channel} due {_local(at, self.clinic)}, "
                f"held for quiet hours until {_local(opens, self.clinic)}",
                at,
                "quiet_hours",
            )
        return Step(
            number,
            said,
            "sent",
            f"'{template.name}' by {template.channel} would be queued "
            f"{'now' if at <= self.now else _local(at, self.clinic)}",
            at,
        )

    def appointment_times(self, rule: Rule) -> list[Trial]:
        version = rule.current_version
        assert version is not None
        offset = int(version.trigger["offset_minutes"])
        label = words.trigger(version.trigger)
        upcoming = list(
            Appointment.objects.filter(
                patient=self.patient, status__in=WANTS_UPCOMING, starts_at__gt=self.now
            )
            .select_related("treatment")
            .order_by("starts_at")[:UPCOMING_MAX]
        )
        if not upcoming:
            return [
                Trial(
                    rule,
                    version.number,
                    label,
                    "no upcoming appointment",
                    "nothing_to_try",
                    detail="the patient has no upcoming appointment",
                )
            ]
        trials = []
        for appointment in upcoming:
            about = f"{appointment.treatment.name}, {_local(appointment.starts_at, self.clinic)}"
            due = timing.offset_from(appointment.starts_at, offset, self.clinic.tz)
            trial = Trial(rule, version.number, label, about, "would_run", due=due)
            existing = Run.objects.filter(
                rule=rule, event_key=appointment_time_key(appointment, appointment.starts_at)
            ).first()
            if existing is not None:
                trial.existing = existing.get_status_display().lower()
            subject = Subject(self.patient, appointment)
            problem = first_failure(version.conditions, subject)
            if problem:
                trial.outcome, trial.reason, trial.detail = "not_fired", "condition_false", problem
            elif due <= self.now:
                trial.outcome, trial.reason = "skipped", "too_late"
                trial.detail = (
                    f"was due {_local(due, self.clinic)}, before now: skipped, not sent late"
                )
            else:
                trial.detail = f"due {_local(due, self.clinic)}"
                trial.steps = self.steps(rule, subject, due)
            trials.append(trial)
        return trials

    def event(self, rule: Rule) -> Trial:
        version = rule.current_version
        assert version is not None
        event = version.trigger["event"]
        label = words.trigger(version.trigger)
        subject = Subject(self.patient)
        about = "as if it happened now"
        visit = None
        if event in APPOINTMENT_TRIGGERS:
            appointment = (
                Appointment.objects.filter(patient=self.patient)
                .select_related("treatment")
                .order_by("-starts_at")
                .first()
            )
            if appointment is None:
                return Trial(
                    rule,
                    version.number,
                    label,
                    "no appointment",
                    "nothing_to_try",
                    detail="the patient has no appointment to try this on",
                )
            subject = Subject(self.patient, appointment)
            if event in STATUS_EVENTS.values():
                visit = appointment.starts_at  # waits count from the visit, as the engine's
            about = (
                f"latest appointment ({appointment.treatment.name}, "
                f"{_local(appointment.starts_at, self.clinic)})"
            )
        elif event in ENQUIRY_TRIGGERS:
            enquiry = Enquiry.objects.filter(patient=self.patient).order_by("-created_at").first()
            if enquiry is None:
                return Trial(
                    rule,
                    version.number,
                    label,
                    "no enquiry",
                    "nothing_to_try",
                    detail="the patient has no enquiry to try this on",
                )
            subject = Subject(self.patient, enquiry=enquiry)
            about = f"latest enquiry ({_local(enquiry.created_at, self.clinic)})"
        start = self.now
        if event == "no_reply":
            start = self.now + dt.timedelta(minutes=int(version.trigger["after_minutes"]))
        trial = Trial(rule, version.number, label, about, "would_run", due=start)
        problem = first_failure(version.conditions, subject)
        if problem:
            trial.outcome, trial.reason, trial.detail = "not_fired", "condition_false", problem
            return trial
        trial.detail = "the conditions hold"
        trial.steps = self.steps(rule, subject, start, visit)
        return trial


def dry_run(
    patient: Patient, now: dt.datetime, *, caller: Caller, rule: Rule | None = None
) -> list[Trial]:
    """Each enabled rule (or just ``rule``, enabled or not) tried for ``patient`` at ``now``."""
    caller.require(Perm.AUTOMATION_VIEW)
    # The caller must be able to see the patient (clinicians: their own).
    patient_get(caller=caller, patient_id=patient.pk, audit=False)
    clinic = Clinic.objects.get(pk=current_clinic_id())
    rules = (
        [rule]
        if rule is not None
        else list(
            Rule.objects.filter(enabled=True, current_version__isnull=False)
            .select_related("current_version")
            .order_by("name")
        )
    )
    trier = _Trier(patient, clinic, now)
    trier.names = words.Names([r.current_version for r in rules if r.current_version])
    trials: list[Trial] = []
    for each in rules:
        if each.current_version is None:
            continue
        if each.current_version.trigger["event"] == "appointment_time":
            trials += trier.appointment_times(each)
        else:
            trials.append(trier.event(each))
    audit_record(
        "patient.automation_dry_run.read",
        object_type="patient",
        object_id=patient.pk,
        detail={"rules": [str(r.pk) for r in rules]},
    )
    return trials
