"""Reads of automations: rules with their versions, a patient's run log, the queue's health
and the staff notifications on the dashboard."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm, has_perm
from aescrm.audit.services import audit_record
from aescrm.automation.models import Rule, RuleVersion, Run, RunLog, RunStatus, StaffNotification
from aescrm.core.problems import NotFound
from aescrm.messaging.models import Direction, Message, Status
from aescrm.patients.models import Patient
from aescrm.patients.selectors import patient_get

RECENT_RUNS = dt.timedelta(days=30)
FAILED_WINDOW = dt.timedelta(days=7)
LOG_MAX = 200


def rule_list(*, caller: Caller, now: dt.datetime) -> list[Rule]:
    """Every rule with its current version and ``recent_runs`` (runs started in 30 days)."""
    caller.require(Perm.AUTOMATION_VIEW)
    return list(
        Rule.objects.select_related("current_version")
        .annotate(
            recent_runs=Count(
                "runs",
                filter=Q(runs__created_at__gte=now - RECENT_RUNS)
                & ~Q(runs__status=RunStatus.SKIPPED),
            )
        )
        .order_by("name")
    )


def rule_get(*, caller: Caller, rule_id: Any) -> Rule:
    caller.require(Perm.AUTOMATION_VIEW)
    try:
        pk = uuid.UUID(str(rule_id))
    except ValueError as exc:
        raise NotFound("no such rule") from exc
    rule = Rule.objects.select_related("current_version").filter(pk=pk).first()
    if rule is None or rule.current_version is None:
        raise NotFound("no such rule")
    return rule


def rule_versions(*, caller: Caller, rule: Rule) -> list[RuleVersion]:
    caller.require(Perm.AUTOMATION_VIEW)
    return list(
        RuleVersion.objects.filter(rule=rule).select_related("created_by").order_by("-number")
    )


def run_log(
    *, caller: Caller, patient_id: Any, limit: int = LOG_MAX
) -> tuple[Patient, list[RunLog]]:
    """The patient's run log, newest first; audited as a read of the patient.

    Clinicians (were they given the log) would see only the patients they treat,
    as everywhere else: ``patient_get`` decides who is visible.
    """
    caller.require(Perm.AUTOMATION_VIEW)
    patient = patient_get(caller=caller, patient_id=patient_id, audit=False)
    entries = list(
        RunLog.objects.filter(patient=patient).select_related("run").order_by("-at", "-id")[:limit]
    )
    audit_record(
        "patient.automation_log.read",
        object_type="patient",
        object_id=patient.pk,
        detail={"entries": len(entries)},
    )
    return patient, entries


@dataclass(frozen=True)
class QueueHealth:
    queued: int
    due: int
    failed: int
    oldest_due: dt.datetime | None
    now: dt.datetime

    @property
    def oldest_due_age(self) -> dt.timedelta | None:
        return self.now - self.oldest_due if self.oldest_due is not None else None

    @property
    def oldest_due_words(self) -> str:
        """ "none due" / "under a minute" / "2 hours 5 minutes" """
        age = self.oldest_due_age
        if age is None:
            return "none due"
        minutes = int(age.total_seconds() // 60)
        if minutes < 1:
            return "under a minute"
        days, rest = divmod(minutes, 1440)
        hours, minutes = divmod(rest, 60)
        parts = [
            f"{n} {unit}{'s' if n != 1 else ''}"
            for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
            if n
        ]
        return " ".join(parts[:2])


@dataclass(frozen=True)
class Health:
    runs: QueueHealth
    messages: QueueHealth


def health(*, caller: Caller, now: dt.datetime) -> Health:
    """For the active clinic: what is waiting, what is due and late, what failed in 7 days.

    Runs: scheduled steps, those due now, failed steps (run log) and the oldest due.
    Messages: outbound messages queued, due now, failed or undelivered (updated in the
    last 7 days) and the oldest due. Four aggregate queries, each on an indexed status.
    """
    caller.require(Perm.AUTOMATION_VIEW)
    is_due = Q(due_at__lte=now)
    runs = Run.objects.filter(status=RunStatus.SCHEDULED).aggregate(
        queued=Count("pk"), due=Count("pk", filter=is_due), oldest=Min("due_at", filter=is_due)
    )
    failed_runs = RunLog.objects.filter(outcome="failed", at__gte=now - FAILED_WINDOW).aggregate(
        n=Count("pk")
    )
    message_due = Q(next_attempt_at__lte=now)
    messages = Message.objects.filter(status=Status.QUEUED, direction=Direction.OUTBOUND).aggregate(
        queued=Count("pk"),
        due=Count("pk", filter=message_due),
        oldest=Min("next_attempt_at", filter=message_due),
    )
    failed_messages = Message.objects.filter(
        status__in=(Status.FAILED, Status.UNDELIVERED),
        direction=Direction.OUTBOUND,
        updated_at__gte=now - FAILED_WINDOW,
    ).aggregate(n=Count("pk"))
    return Health(
        runs=QueueHealth(runs["queued"], runs["due"], failed_runs["n"], runs["oldest"], now),
        messages=QueueHealth(
            messages["queued"], messages["due"], failed_messages["n"], messages["oldest"], now
        ),
    )


def notifications_for(*, caller: Caller, unread_only: bool = True) -> QuerySet[StaffNotification]:
    """The "notify staff" lines meant for the caller's role (or the whole team).

    Only members who may see patients get them: each names a patient.
    """
    if caller.role is None or not (
        has_perm(caller.role, Perm.PATIENT_VIEW) or has_perm(caller.role, Perm.PATIENT_VIEW_OWN)
    ):
        return StaffNotification.objects.none()
    rows = StaffNotification.objects.filter(Q(role="") | Q(role=caller.role))
    if caller.sees_only_own_patients:
        rows = rows.filter(
            Q(patient__isnull=True) | Q(patient__appointments__practitioner__user_id=caller.user_id)
        ).distinct()
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("patient").order_by("-created_at")


def dashboard_notifications(*, caller: Caller, limit: int = 20) -> list[StaffNotification]:
    rows = list(notifications_for(caller=caller)[:limit])
    if rows:
        audit_record(
            "automation.notification.list",
            object_type="staff_notification",
            detail={"shown": [str(n.pk) for n in rows]},
        )
    return rows
