"""Bulk sends: one message to each patient of a filtered list, consent checked per recipient.

Preview, then confirm. Confirming writes the send and its recipients in one
transaction — who is left out, and why, is fixed then — under the token the
preview page carried, so a second confirm (a double click, a retried
request) finds the same send and queues nothing more. A task then queues the
messages through ``message_queue`` in chunks; each recipient is linked to its
message in the chunk's transaction, so a task run again (or two at once)
queues nobody twice. The policy is checked again when each message is queued
and once more before it is sent (docs/decisions/0013, 0018).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, Membership
from aescrm.accounts.permissions import Perm, has_perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import DomainError, NotFound, ValidationFailed
from aescrm.inbox.models import BulkRecipient, BulkSend, BulkStatus, RecipientStatus
from aescrm.inbox.reasons import Blocked, Explainer
from aescrm.messaging import policy
from aescrm.messaging.models import Channel, Kind, MessagingSettings, Status
from aescrm.messaging.segments import sms_segments
from aescrm.messaging.services import message_queue
from aescrm.patients.models import Appointment, AppointmentStatus, Enquiry, Patient, Stage
from aescrm.patients.selectors import _visible_patients
from aescrm.templating.models import MessageTemplate
from aescrm.templating.rendering import PATIENT_FIELDS, fields_in, render
from aescrm.templating.services import TemplateInput, wording_check

BULK_MAX = 5000
CHUNK = 100
SHOWN_MAX = 200  # names listed per group on a page
CHANNELS = (Channel.SMS, Channel.EMAIL)


@dataclass(frozen=True)
class Audience:
    """Which patients: every condition given must hold."""

    stage: str = ""
    tag: str = ""
    treatment_id: uuid.UUID | None = None
    last_visit_before: dt.date | None = None

    def as_json(self) -> dict[str, str]:
        return {
            "stage": self.stage,
            "tag": self.tag,
            "treatment": str(self.treatment_id or ""),
            "last_visit_before": self.last_visit_before.isoformat()
            if self.last_visit_before
            else "",
        }


@dataclass(frozen=True)
class BulkSpec:
    audience: Audience
    channel: str
    kind: str
    template_id: uuid.UUID | None = None
    body: str = ""
    subject: str = ""


# ---------------------------------------------------------------------------
# Wording
# ---------------------------------------------------------------------------


def _only_patient_fields(template: MessageTemplate, *, field: str) -> None:
    used = set()
    for source in (template.subject, template.body_text, template.body_html):
        used |= fields_in(source or "", field=field)
    others = sorted(used - PATIENT_FIELDS)
    if others:
        named = ", ".join(f"{{{{ {name} }}}}" for name in others)
        raise ValidationFailed(
            f"a bulk send can fill in only {{{{ first_name }}}} and {{{{ clinic_name }}}}, "
            f"not {named}",
            field=field,
        )


def wording_for(spec: BulkSpec) -> MessageTemplate:
    """The wording to render for each recipient: the chosen template, or the typed text
    checked as a template would be (prescription-only medicines, opt-out wording)."""
    if spec.channel not in CHANNELS:
        raise ValidationFailed("choose SMS or email", field="channel")
    if spec.kind not in Kind.values:
        raise ValidationFailed("choose marketing or service", field="kind")
    if spec.template_id:
        template = MessageTemplate.objects.filter(pk=spec.template_id, active=True).first()
        if template is None:
            raise ValidationFailed("choose one of the clinic's active templates", field="template")
        if template.channel != spec.channel:
            raise ValidationFailed(
                f"this is an {template.get_channel_display()} template: choose that channel",
                field="template",
            )
        if template.kind != spec.kind:
            raise ValidationFailed(
                f"this is a {template.kind} template: send it as {template.kind}",
                field="template",
            )
        _only_patient_fields(template, field="template")
        return template
    if not spec.body.strip():
        raise ValidationFailed("choose a template or write the message", field="body")
    checked = wording_check(
        TemplateInput(
            name="Bulk send",
            channel=spec.channel,
            kind=spec.kind,
            body_text=spec.body,
            subject=spec.subject if spec.channel == Channel.EMAIL else "",
        )
    )
    wording = MessageTemplate(
        name=checked.name,
        channel=checked.channel,
        kind=checked.kind,
        subject=checked.subject,
        body_text=checked.body_text,
    )
    _only_patient_fields(wording, field="body")
    return wording


# ---------------------------------------------------------------------------
# Audience
# ---------------------------------------------------------------------------


def audience_patients(caller: Caller, audience: Audience) -> list[Patient]:
    """The patients the filter chooses, oldest record first; at most ``BULK_MAX``."""
    if audience.stage and audience.stage not in Stage.values:
        raise ValidationFailed("choose a stage from the list", field="stage")
    patients = _visible_patients(caller)
    if audience.stage:
        patients = patients.filter(stage=audience.stage)
    if audience.treatment_id:
        interested = Enquiry.objects.filter(treatment_id=audience.treatment_id)
        patients = patients.filter(pk__in=interested.values("patient_id"))
    if audience.last_visit_before:
        clinic = Clinic.objects.get(pk=caller.clinic_id)
        cutoff = dt.datetime.combine(audience.last_visit_before, dt.time(0), tzinfo=clinic.tz)
        visits = Appointment.objects.filter(status=AppointmentStatus.ATTENDED)
        patients = patients.filter(
            pk__in=visits.filter(starts_at__lt=cutoff).values("patient_id")
        ).exclude(pk__in=visits.filter(starts_at__gte=cutoff).values("patient_id"))
    # Tags are a JSON list (no portable "contains" across engines): filtered here,
    # on ids and tags only, before any personal data is decrypted.
    tag = audience.tag.strip().casefold()
    ids = [
        pk
        for pk, tags in patients.values_list("pk", "tags")
        if not tag or tag in {str(t).strip().casefold() for t in tags or []}
    ]
    if len(ids) > BULK_MAX:
        raise ValidationFailed(
            f"this filter chooses {len(ids):,} patients; a bulk send may go to at most "
            f"{BULK_MAX:,}: narrow the filter",
            field="audience",
        )
    return list(Patient.objects.filter(pk__in=ids).order_by("created_at", "id"))


@dataclass
class Split:
    eligible: list[tuple[Patient, str]] = field(default_factory=list)  # with their text
    excluded: list[tuple[Patient, Blocked]] = field(default_factory=list)


def split(patients: list[Patient], wording: MessageTemplate, *, kind: str, clinic: Clinic) -> Split:
    """Who may be sent this (and the text each gets), who not and why."""
    explainer = Explainer(clinic.tz, wording.channel, [p.pk for p in patients])
    result = Split()
    for patient in patients:
        blocked = explainer.blocked(patient, kind=kind)
        if blocked is None:
            try:
                text = render(wording, clinic=clinic, patient=patient).text
            except ValidationFailed as exc:  # e.g. a merge field brings in a medicine's name
                blocked = Blocked("wording", exc.detail[:1].upper() + exc.detail[1:])
            else:
                result.eligible.append((patient, text))
                continue
        result.excluded.append((patient, blocked))
    return result


@dataclass
class Group:
    reason: str
    label: str
    rows: list[tuple[Patient, str]]
    count: int

    @property
    def more(self) -> int:
        """How many are counted but not listed."""
        return self.count - len(self.rows)


def groups_of(excluded: list[tuple[Patient, Blocked]]) -> list[Group]:
    grouped: dict[str, Group] = {}
    for patient, blocked in excluded:
        group = grouped.setdefault(blocked.reason, Group(blocked.reason, blocked.label, [], 0))
        group.count += 1
        if len(group.rows) < SHOWN_MAX:
            group.rows.append((patient, blocked.text))
    return sorted(grouped.values(), key=lambda g: (-g.count, g.label))


# ---------------------------------------------------------------------------
# Preview and confirm
# ---------------------------------------------------------------------------


@dataclass
class Preview:
    spec: BulkSpec
    wording: MessageTemplate
    matched: int
    split: Split
    groups: list[Group]
    sample: tuple[Patient, str] | None
    segments: int  # SMS parts over every eligible message
    cost_pence: int
    held_until: dt.datetime | None  # now is quiet hours: messages wait until then
    quiet_start: dt.time
    quiet_end: dt.time


def _require(caller: Caller) -> None:
    caller.require(Perm.MESSAGE_BULK_SEND)
    caller.require(Perm.MESSAGE_SEND)


def bulk_preview(caller: Caller, spec: BulkSpec, *, now: dt.datetime | None = None) -> Preview:
    """What confirming would do: counts, who is left out and why, a sample and the cost."""
    from django.conf import settings

    _require(caller)
    now = now or timezone.now()
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    wording = wording_for(spec)
    patients = audience_patients(caller, spec.audience)
    result = split(patients, wording, kind=spec.kind, clinic=clinic)
    segments = (
        sum(sms_segments(text).parts for _, text in result.eligible)
        if spec.channel == Channel.SMS
        else 0
    )
    row = MessagingSettings.objects.first()
    opens = policy.window_opens(now, row, clinic.tz)
    groups = groups_of(result.excluded)
    shown = [str(p.pk) for g in groups for p, _ in g.rows]
    audit_record(
        "patient.list",
        object_type="patient",
        purpose="bulk send preview",
        detail={
            "shown": shown,
            "matched": len(patients),
            "eligible": len(result.eligible),
            "excluded": len(result.excluded),
        },
    )
    return Preview(
        spec=spec,
        wording=wording,
        matched=len(patients),
        split=result,
        groups=groups,
        sample=result.eligible[0] if result.eligible else None,
        segments=segments,
        cost_pence=segments * settings.SMS_SEGMENT_COST_PENCE,
        held_until=opens if opens > now else None,
        quiet_start=row.quiet_start if row else policy.DEFAULT_QUIET_START,
        quiet_end=row.quiet_end if row else policy.DEFAULT_QUIET_END,
    )


def _enqueue_on_commit(clinic_id: uuid.UUID, bulk_id: uuid.UUID) -> None:
    from aescrm.inbox.tasks import queue_bulk_send

    transaction.on_commit(lambda: queue_bulk_send(str(clinic_id), str(bulk_id)))


def bulk_confirm(
    caller: Caller, spec: BulkSpec, *, token: uuid.UUID, now: dt.datetime | None = None
) -> tuple[BulkSend, bool]:
    """The send for ``token``: made now (True), or the one this token made before (False)."""
    _require(caller)
    existing = BulkSend.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    wording = wording_for(spec)
    patients = audience_patients(caller, spec.audience)
    result = split(patients, wording, kind=spec.kind, clinic=clinic)
    if not result.eligible:
        raise ValidationFailed("nobody on this list may be sent this message", field="audience")
    try:
        with transaction.atomic():
            bulk = BulkSend.objects.create(
                token=token,
                channel=spec.channel,
                kind=spec.kind,
                template=None if wording._state.adding else wording,
                body=wording.body_text,
                subject=wording.subject,
                audience=spec.audience.as_json(),
                created_by_id=caller.user_id,
            )
            BulkRecipient.objects.bulk_create(
                [
                    BulkRecipient(bulk=bulk, patient=p, status=RecipientStatus.PENDING)
                    for p, _ in result.eligible
                ]
                + [
                    BulkRecipient(
                        bulk=bulk,
                        patient=p,
                        status=RecipientStatus.EXCLUDED,
                        reason=blocked.reason[:32],
                        reason_text=blocked.text[:300],
                    )
                    for p, blocked in result.excluded
                ]
            )
            audit_record(
                "bulk_send.confirm",
                object_type="bulk_send",
                object_id=bulk.pk,
                detail={
                    "channel": spec.channel,
                    "kind": spec.kind,
                    "template": str(bulk.template_id) if bulk.template_id else None,
                    "recipients": len(result.eligible),
                    "excluded": len(result.excluded),
                    "audience": spec.audience.as_json(),
                },
            )
            _enqueue_on_commit(clinic.pk, bulk.pk)
    except IntegrityError:  # the same token confirmed at the same moment: that one stands
        return BulkSend.objects.get(token=token), False
    return bulk, True


# ---------------------------------------------------------------------------
# Queuing (in a task)
# ---------------------------------------------------------------------------


class _Taken(Exception):
    """Another run queued this recipient first."""


def _sender(bulk: BulkSend) -> Caller | None:
    """The member who confirmed, if they may still send bulk messages in this clinic."""
    if bulk.created_by_id is None:
        return None
    membership = Membership.objects.filter(
        user_id=bulk.created_by_id, clinic_id=bulk.clinic_id, user__is_active=True
    ).first()
    if membership is None or not (
        has_perm(membership.role, Perm.MESSAGE_BULK_SEND)
        and has_perm(membership.role, Perm.MESSAGE_SEND)
    ):
        return None
    return Caller(clinic_id=bulk.clinic_id, user_id=membership.user_id, role=membership.role)


def _wording_of(bulk: BulkSend) -> MessageTemplate:
    if bulk.template is not None:
        return bulk.template
    return MessageTemplate(
        name="Bulk send",
        channel=bulk.channel,
        kind=bulk.kind,
        subject=bulk.subject,
        body_text=str(bulk.body or ""),
    )


def _exclude(recipient: BulkRecipient, reason: str, text: str) -> None:
    BulkRecipient.objects.filter(pk=recipient.pk, status=RecipientStatus.PENDING).update(
        status=RecipientStatus.EXCLUDED, reason=reason[:32], reason_text=text[:300]
    )


def _queue_one(
    caller: Caller,
    bulk: BulkSend,
    wording: MessageTemplate,
    clinic: Clinic,
    explainer: Explainer,
    recipient: BulkRecipient,
    now: dt.datetime | None,
) -> bool:
    patient = recipient.patient
    try:
        with transaction.atomic():  # a refusal or a lost race leaves no message behind
            text = render(wording, clinic=clinic, patient=patient).text
            message = message_queue(
                caller=caller,
                patient=patient,
                body=text,
                kind=bulk.kind,
                channel=bulk.channel,
                now=now,
            )
            linked = BulkRecipient.objects.filter(
                pk=recipient.pk, status=RecipientStatus.PENDING
            ).update(status=RecipientStatus.QUEUED, message=message)
            if linked != 1:
                raise _Taken
    except _Taken:
        return False
    except DomainError as exc:
        blocked = explainer.blocked(patient, kind=bulk.kind)
        if blocked is None:
            blocked = Blocked(str(exc.extra.get("reason") or "refused"), exc.detail)
        _exclude(recipient, blocked.reason, blocked.text)
        return False
    return True


def _stop(bulk: BulkSend, reason: str) -> None:
    with transaction.atomic():
        BulkRecipient.objects.filter(bulk=bulk, status=RecipientStatus.PENDING).update(
            status=RecipientStatus.EXCLUDED, reason="stopped", reason_text=reason[:300]
        )
        BulkSend.objects.filter(pk=bulk.pk).update(
            status=BulkStatus.STOPPED, stop_reason=reason[:300], finished_at=timezone.now()
        )
        audit_record("bulk_send.stop", object_type="bulk_send", object_id=bulk.pk)


def bulk_process(bulk_id: uuid.UUID, *, now: dt.datetime | None = None) -> int:
    """Queue the send's waiting recipients, a chunk per transaction; returns how many."""
    bulk = BulkSend.objects.select_related("template").filter(pk=bulk_id).first()
    if bulk is None or bulk.status != BulkStatus.QUEUING:
        return 0
    caller = _sender(bulk)
    if caller is None:
        _stop(bulk, "The member who confirmed this send may no longer send bulk messages.")
        return 0
    clinic = Clinic.objects.get(pk=bulk.clinic_id)
    wording = _wording_of(bulk)
    explainer = Explainer(clinic.tz, bulk.channel)
    queued = 0
    while True:
        with transaction.atomic():
            waiting = (
                BulkRecipient.objects.filter(bulk=bulk, status=RecipientStatus.PENDING)
                .select_related("patient")
                .order_by("id")
            )
            if connection.vendor == "postgresql":
                waiting = waiting.select_for_update(skip_locked=True, of=("self",))
            chunk = list(waiting[:CHUNK])
            if not chunk:
                break
            for recipient in chunk:
                queued += _queue_one(caller, bulk, wording, clinic, explainer, recipient, now)
    if not BulkRecipient.objects.filter(bulk=bulk, status=RecipientStatus.PENDING).exists():
        with transaction.atomic():
            finished = BulkSend.objects.filter(pk=bulk.pk, status=BulkStatus.QUEUING).update(
                status=BulkStatus.DONE, finished_at=timezone.now()
            )
            if finished:
                audit_record(
                    "bulk_send.done",
                    object_type="bulk_send",
                    object_id=bulk.pk,
                    detail=bulk_progress(bulk),
                )
    return queued


# ---------------------------------------------------------------------------
# Reading sends back
# ---------------------------------------------------------------------------

SENT = {Status.SENT, Status.DELIVERED, Status.READ}
FAILED = {Status.FAILED, Status.UNDELIVERED}


def bulk_progress(bulk: BulkSend) -> dict[str, int]:
    """Recipients by where they are: waiting, queued, sent, delivered, failed, excluded."""
    progress = dict.fromkeys(
        ("total", "waiting", "queued", "sent", "delivered", "failed", "excluded"), 0
    )
    rows = (
        BulkRecipient.objects.filter(bulk=bulk)
        .values("status", "message__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        n, status, sent = row["n"], row["status"], row["message__status"]
        progress["total"] += n
        if status == RecipientStatus.PENDING:
            progress["waiting"] += n
        elif status == RecipientStatus.EXCLUDED:
            progress["excluded"] += n
        elif sent in SENT:
            progress["sent"] += n
            if sent == Status.DELIVERED:
                progress["delivered"] += n
        elif sent in FAILED:
            progress["failed"] += n
        else:
            progress["queued"] += n
    return progress


def bulk_list(caller: Caller) -> list[tuple[BulkSend, dict[str, int]]]:
    _require(caller)
    sends = list(BulkSend.objects.select_related("created_by", "template")[:20])
    return [(bulk, bulk_progress(bulk)) for bulk in sends]


def bulk_get(caller: Caller, bulk_id: Any) -> BulkSend:
    _require(caller)
    try:
        pk = uuid.UUID(str(bulk_id))
    except ValueError as exc:
        raise NotFound("no such bulk send") from exc
    bulk = BulkSend.objects.select_related("created_by", "template").filter(pk=pk).first()
    if bulk is None:
        raise NotFound("no such bulk send")
    return bulk


def bulk_excluded(bulk: BulkSend) -> list[Group]:
    """Who was left out of the send, grouped by why (audited as a read of their names)."""
    rows = (
        BulkRecipient.objects.filter(bulk=bulk, status=RecipientStatus.EXCLUDED)
        .select_related("patient")
        .order_by("reason", "id")
    )
    groups = groups_of([(r.patient, Blocked(r.reason, r.reason_text)) for r in rows])
    audit_record(
        "bulk_send.read",
        object_type="bulk_send",
        object_id=bulk.pk,
        detail={"shown": [str(p.pk) for g in groups for p, _ in g.rows]},
    )
    return groups


def progress_version(bulk: BulkSend, progress: dict[str, int]) -> str:
    return f"{bulk.status}-" + "-".join(str(progress[k]) for k in sorted(progress))
