"""The retention engine: apply every category's policy to each clinic, or say what it would do.

For each clinic (in its own scope):

1. Read its legal holds: a clinic hold stops every category; a patient hold
   keeps that patient's rows.
2. For each category in ``policies.CATEGORIES``: work out the cut-off on the
   clinic's calendar, count what is past it (and what a hold keeps), and in a
   real run delete exactly those rows in batches.
3. Record the run (``RetentionRun``) and audit it (``retention.run``, counts
   per category, dry or real).

A dry run changes nothing but the run record and its audit entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aescrm.accounts.models import ApiKey, Clinic, Membership
from aescrm.assistant.models import ChatSession
from aescrm.assistant.retention import purge_anonymous_chats
from aescrm.attribution.models import Touch
from aescrm.audit.services import audit_record
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.crypto import patient_keys
from aescrm.crypto.keys import clear_key_cache
from aescrm.crypto.models import ClinicKey
from aescrm.mail.models import WebhookReceipt
from aescrm.retention import audit_prune, policies
from aescrm.retention.models import RetentionRun
from aescrm.retention.policies import Category
from aescrm.retention.services import clinic_hold, held_patient_ids, policy_months

DEFAULT_BATCH = 1000


@dataclass
class CategoryResult:
    category: str
    label: str
    removed: int
    held: int
    cutoff: dt.datetime | None
    why: str

    def as_json(self) -> dict[str, Any]:
        return {
            "removed": self.removed,
            "held": self.held,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "why": self.why,
        }


@dataclass
class ClinicReport:
    clinic_id: uuid.UUID
    slug: str
    name: str
    dry_run: bool
    clinic_held: bool
    results: list[CategoryResult] = field(default_factory=list)


@dataclass
class _Context:
    clinic: Clinic
    now: dt.datetime
    dry_run: bool
    batch: int
    clinic_held: bool
    held_patients: set[uuid.UUID]

    def local_day(self, moment: dt.datetime) -> str:
        return moment.astimezone(self.clinic.tz).date().isoformat()


def _delete_in_batches(qs: models.QuerySet[Any], batch: int) -> int:
    """Delete the rows of ``qs`` a batch at a time; how many of its own rows went."""
    model = qs.model
    label = model._meta.label
    removed = 0
    while True:
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return removed
        with transaction.atomic():
            _, per_model = model._default_manager.filter(pk__in=ids).delete()
        removed += per_model.get(label, 0)


def _held_split(
    ctx: _Context, old: models.QuerySet[Any], patient_field: str | None
) -> tuple[models.QuerySet[Any], int]:
    """(rows that may go, how many a legal hold keeps)."""
    if ctx.clinic_held:
        return old.none(), old.count()
    if patient_field is None or not ctx.held_patients:
        return old, 0
    held = {f"{patient_field}__in": ctx.held_patients}
    return old.exclude(**held), old.filter(**held).count()


def _remove(ctx: _Context, doomed: models.QuerySet[Any]) -> int:
    return doomed.count() if ctx.dry_run else _delete_in_batches(doomed, ctx.batch)


def _attribution(ctx: _Context, cat: Category, months: int) -> CategoryResult:
    cutoff = policies.cutoff(ctx.now, ctx.clinic.tz, months)
    doomed, held = _held_split(ctx, Touch.objects.filter(occurred_at__lt=cutoff), "patient_id")
    why = (
        f"attribution touches older than {policies.period_words(months)} "
        f"(before {ctx.local_day(cutoff)})"
    )
    return CategoryResult(cat.key, cat.label, _remove(ctx, doomed), held, cutoff, why)


def _audit(ctx: _Context, cat: Category, months: int) -> CategoryResult:
    cutoff = policies.cutoff(ctx.now, ctx.clinic.tz, months)
    plan = audit_prune.plan(
        clinic_id=ctx.clinic.pk,
        cutoff=cutoff,
        held_patients=ctx.held_patients,
        clinic_held=ctx.clinic_held,
    )
    removed = plan.removed
    if not ctx.dry_run:
        removed = audit_prune.prune(clinic_id=ctx.clinic.pk, prune_plan=plan, batch=ctx.batch)
    why = (
        f"audit entries older than {policies.period_words(months)} "
        f"(before {ctx.local_day(cutoff)}), after a signed checkpoint"
    )
    return CategoryResult(cat.key, cat.label, removed, plan.held, cutoff, why)


def _anonymous_chats(ctx: _Context, cat: Category, months: int | None) -> CategoryResult:
    days = policies.chat_days()
    cutoff = ctx.now - dt.timedelta(days=days)
    old = ChatSession.objects.filter(patient__isnull=True, last_activity_at__lt=cutoff)
    why = (
        f"anonymous website chats with no message for {days} days "
        f"(before {ctx.local_day(cutoff)}), by the assistant's own purge"
    )
    if ctx.clinic_held:
        return CategoryResult(cat.key, cat.label, 0, old.count(), cutoff, why)
    removed = old.count() if ctx.dry_run else purge_anonymous_chats(now=ctx.now)
    return CategoryResult(cat.key, cat.label, removed, 0, cutoff, why)


def _webhook_receipts(ctx: _Context, cat: Category, months: int) -> CategoryResult:
    cutoff = policies.cutoff(ctx.now, ctx.clinic.tz, months)
    doomed, held = _held_split(ctx, WebhookReceipt.objects.filter(received_at__lt=cutoff), None)
    why = (
        f"email webhook receipts older than {policies.period_words(months)} "
        f"(before {ctx.local_day(cutoff)})"
    )
    return CategoryResult(cat.key, cat.label, _remove(ctx, doomed), held, cutoff, why)


def _ended_and_due(ctx: _Context, months: int) -> tuple[dt.datetime | None, str]:
    """(when the kept period ended, or None if it has not) and the reason in words."""
    ended = ctx.clinic.terminated_at
    if ended is None:
        return None, "the clinic's account is active"
    ended_day = ended.astimezone(ctx.clinic.tz).date()
    due = policies.local_midnight(policies.months_forward(ended_day, months), ctx.clinic.tz)
    words = policies.period_words(months)
    if ctx.now < due:
        return None, (
            f"kept until {due.date().isoformat()}, {words} after the account ended "
            f"on {ended_day.isoformat()}"
        )
    return due, f"{words} since the account ended on {ended_day.isoformat()}"


def _any_hold(ctx: _Context) -> bool:
    return ctx.clinic_held or bool(ctx.held_patients)


def _account_records(ctx: _Context, cat: Category, months: int) -> CategoryResult:
    due, why = _ended_and_due(ctx, months)
    if due is None:
        return CategoryResult(cat.key, cat.label, 0, 0, None, why)
    # Account records are not tenant rows (the platform is their controller).
    with unscoped("retention: a terminated clinic's account records"):
        groups = [
            Membership.objects.filter(clinic_id=ctx.clinic.pk),
            ApiKey.objects.filter(clinic_id=ctx.clinic.pk),
        ]
        count = sum(g.count() for g in groups)
        why = f"memberships and API keys: {why}"
        if _any_hold(ctx):
            return CategoryResult(cat.key, cat.label, 0, count, due, why)
        if not ctx.dry_run:
            count = sum(_delete_in_batches(g, ctx.batch) for g in groups)
    return CategoryResult(cat.key, cat.label, count, 0, due, why)


def _terminated_clinic(ctx: _Context, cat: Category, months: int) -> CategoryResult:
    due, why = _ended_and_due(ctx, months)
    if due is None:
        return CategoryResult(cat.key, cat.label, 0, 0, None, why)
    if ctx.clinic.keys_destroyed_at is not None:
        destroyed = ctx.clinic.keys_destroyed_at.astimezone(ctx.clinic.tz).date().isoformat()
        return CategoryResult(
            cat.key, cat.label, 0, 0, due, f"keys already destroyed on {destroyed}"
        )
    with unscoped("retention: destroying a terminated clinic's keys"):
        keys = ClinicKey.objects.filter(clinic_id=ctx.clinic.pk)
        count = keys.count()
        why = f"encryption keys destroyed, {why}"
        if _any_hold(ctx):
            return CategoryResult(cat.key, cat.label, 0, count, due, why)
        if not ctx.dry_run:
            with transaction.atomic():
                count = keys.delete()[0]
                Clinic.objects.filter(pk=ctx.clinic.pk).update(keys_destroyed_at=ctx.now)
                audit_record(
                    "key.destroy",
                    object_type="clinic_key",
                    object_id=ctx.clinic.pk,
                    clinic_id=ctx.clinic.pk,
                    detail={"keys": count, "reason": "retention after termination"},
                )
            # The patients' own keys (key vault) were wrapped by the clinic key just
            # destroyed; they go too, so not even a copy of the vault can open them.
            patient_keys.destroy_clinic(ctx.clinic.pk)
            transaction.on_commit(clear_key_cache)
            clear_key_cache()
    return CategoryResult(cat.key, cat.label, count, 0, due, why)


Handler = Callable[[_Context, Category, Any], CategoryResult]
HANDLERS: dict[str, Handler] = {
    policies.ATTRIBUTION: _attribution,
    policies.AUDIT: _audit,
    policies.ANONYMOUS_CHATS: _anonymous_chats,
    policies.EMAIL_WEBHOOK_RECEIPTS: _webhook_receipts,
    policies.ACCOUNT_RECORDS: _account_records,
    policies.TERMINATED_CLINIC: _terminated_clinic,
}


def apply_to_clinic(
    clinic: Clinic, *, dry_run: bool, now: dt.datetime | None = None, batch: int = DEFAULT_BATCH
) -> ClinicReport:
    """Apply (or, with ``dry_run``, only count) every policy for one clinic."""
    now = now or timezone.now()
    with clinic_scope(clinic.pk):
        run = RetentionRun.objects.create(started_at=timezone.now(), dry_run=dry_run)
        ctx = _Context(
            clinic=clinic,
            now=now,
            dry_run=dry_run,
            batch=batch,
            clinic_held=clinic_hold() is not None,
            held_patients=held_patient_ids(),
        )
        report = ClinicReport(clinic.pk, clinic.slug, clinic.name, dry_run, ctx.clinic_held)
        for cat in policies.CATEGORIES:
            report.results.append(HANDLERS[cat.key](ctx, cat, policy_months(cat)))
        run.results = {r.category: r.as_json() for r in report.results}
        run.finished_at = timezone.now()
        run.save(update_fields=["results", "finished_at"])
        audit_record(
            "retention.run",
            object_type="retention_run",
            object_id=run.pk,
            detail={
                "dry_run": dry_run,
                "clinic_held": ctx.clinic_held,
                "removed": {r.category: r.removed for r in report.results},
                "held": {r.category: r.held for r in report.results},
            },
        )
    return report


def apply_retention(
    *,
    dry_run: bool,
    clinic_slug: str | None = None,
    now: dt.datetime | None = None,
    batch: int = DEFAULT_BATCH,
) -> list[ClinicReport]:
    """Apply retention to every clinic (or the one named), one clinic at a time."""
    with unscoped("retention: list the clinics to apply policies to"):
        clinics = Clinic.objects.order_by("slug")
        if clinic_slug is not None:
            clinics = clinics.filter(slug=clinic_slug)
        targets = list(clinics)
    return [apply_to_clinic(c, dry_run=dry_run, now=now, batch=batch) for c in targets]
