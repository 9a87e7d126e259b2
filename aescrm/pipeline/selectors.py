"""Reads of the pipeline: the board, the open leads by score, alerts and tasks.

Reads that show patient data are audited here, for the web pages and the API alike.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients.models import OPEN_STAGES, Enquiry, LeadStage
from aescrm.pipeline import ml, scoring
from aescrm.pipeline.models import LeadAlert, StaffTask
from aescrm.pipeline.services import lead_due_at, settings_for

CLOSED_SHOWN = 25


@dataclass
class Lead:
    enquiry: Enquiry
    score: int | None
    reasons: list[str]
    method: str
    due_at: dt.datetime | None = None
    overdue: bool = False

    @property
    def speed_to_lead(self) -> float | None:
        return self.enquiry.speed_to_lead


def enquiry_get(*, caller: Caller, enquiry_id: Any) -> Enquiry:
    """The enquiry of the active clinic, or NotFound (also for other clinics' ids)."""
    caller.require(Perm.ENQUIRY_VIEW)
    try:
        pk = uuid.UUID(str(enquiry_id))
    except ValueError as exc:
        raise NotFound("no such lead") from exc
    enquiry = Enquiry.objects.select_related("patient", "treatment").filter(pk=pk).first()
    if enquiry is None:
        raise NotFound("no such lead")
    return enquiry


def score_leads(enquiries: list[Enquiry], *, now: dt.datetime | None = None) -> list[Lead]:
    now = now or timezone.now()
    model = ml.active_model()
    facts = scoring.facts_for(enquiries, now=now)
    leads = []
    for e in enquiries:
        s = scoring.score_facts(
            facts[e.pk],
            objected=e.patient.objects_to_profiling,
            restricted=e.patient.restricted,
            model=model,
        )
        leads.append(Lead(e, s.score, s.reasons, s.method))
    return leads


def _by_score(lead: Lead) -> tuple[int, float]:
    return (-(lead.score if lead.score is not None else -1), -lead.enquiry.created_at.timestamp())


def _with_deadlines(leads: list[Lead], clinic: Clinic, now: dt.datetime) -> None:
    settings = settings_for()
    for lead in leads:
        if lead.enquiry.stage == LeadStage.NEW and lead.enquiry.first_response_at is None:
            lead.due_at = lead_due_at(lead.enquiry, settings, clinic.tz)
            lead.overdue = lead.due_at is not None and lead.due_at <= now


def open_leads(
    *, caller: Caller, stage: str | None = None, limit: int = 100, now: dt.datetime | None = None
) -> list[Lead]:
    """Open leads, highest score first (unscored leads last)."""
    caller.require(Perm.ENQUIRY_VIEW)
    if not 1 <= limit <= 500:
        raise ValidationFailed("limit must be between 1 and 500", field="limit")
    stages: list[str] = [s.value for s in OPEN_STAGES]
    if stage:
        if stage not in stages:
            raise ValidationFailed(
                f"stage must be one of the open stages: {', '.join(stages)}", field="stage"
            )
        stages = [stage]
    enquiries = list(
        Enquiry.objects.filter(stage__in=stages).select_related("patient", "treatment")
    )
    leads = sorted(score_leads(enquiries, now=now), key=_by_score)[:limit]
    audit_record(
        "lead.list",
        object_type="enquiry",
        detail={"shown": [str(lead.enquiry.pk) for lead in leads]},
    )
    return leads


@dataclass
class Column:
    stage: LeadStage
    leads: list[Lead]
    more: int = 0


def board(*, caller: Caller, clinic: Clinic, now: dt.datetime | None = None) -> list[Column]:
    """One column per stage: open leads by score, the latest won and lost leads."""
    caller.require(Perm.ENQUIRY_VIEW)
    now = now or timezone.now()
    open_rows = list(
        Enquiry.objects.filter(stage__in=OPEN_STAGES).select_related(
            "patient", "treatment", "assigned_to"
        )
    )
    columns: dict[str, Column] = {s.value: Column(s, []) for s in LeadStage}
    scored = score_leads(open_rows, now=now)
    _with_deadlines(scored, clinic, now)
    for lead in sorted(scored, key=_by_score):
        columns[lead.enquiry.stage].leads.append(lead)
    for stage in (LeadStage.WON, LeadStage.LOST):
        closed = Enquiry.objects.filter(stage=stage).select_related(
            "patient", "treatment", "assigned_to"
        )
        rows = list(closed.order_by("-stage_changed_at", "-created_at")[:CLOSED_SHOWN])
        columns[stage].leads = [Lead(e, None, [], "none") for e in rows]
        columns[stage].more = max(0, closed.count() - len(rows))
    audit_record(
        "lead.list",
        object_type="enquiry",
        detail={"shown": [str(lead.enquiry.pk) for c in columns.values() for lead in c.leads]},
    )
    return list(columns.values())


def open_alerts(*, caller: Caller, limit: int = 5) -> tuple[int, list[LeadAlert]]:
    """Unresolved alerts: how many, and the newest few (ids only, no patient data)."""
    if not caller.can(Perm.ENQUIRY_VIEW):
        return 0, []
    alerts = LeadAlert.objects.filter(resolved_at__isnull=True)
    return alerts.count(), list(alerts.order_by("-raised_at")[:limit])


def my_tasks(*, caller: Caller, include_done: bool = False) -> list[StaffTask]:
    caller.require(Perm.ENQUIRY_VIEW)
    if caller.user_id is None:
        return []
    tasks = StaffTask.objects.filter(assignee_id=caller.user_id).select_related(
        "enquiry", "enquiry__patient"
    )
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    rows = list(tasks.order_by("done_at", "due_at"))
    audit_record("task.list", object_type="task", detail={"shown": [str(t.pk) for t in rows]})
    return rows


def task_get(*, caller: Caller, task_id: Any) -> StaffTask:
    caller.require(Perm.ENQUIRY_VIEW)
    try:
        pk = uuid.UUID(str(task_id))
    except ValueError as exc:
        raise NotFound("no such task") from exc
    task = StaffTask.objects.filter(pk=pk).first()
    if task is None:
        raise NotFound("no such task")
    return task
