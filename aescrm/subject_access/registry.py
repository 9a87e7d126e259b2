"""What a subject-access export holds: every category of data held about one patient.

Each ``Category`` names the models it covers, finds one patient's rows and
says which fields go out. Values are left as Python values (datetimes,
UUIDs, pence integers); ``aescrm.subject_access.export`` turns them into
JSON, CSV and the readable summary.

A model that can be reached from ``patients.Patient`` by foreign keys must be
covered by a category here or listed in ``NOT_PERSONAL_DATA`` with the reason
(a test enforces it), so data added by new code is exported by default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q

from aescrm.assistant.retention import chats_for_export
from aescrm.attribution.models import ConversionEvent, Touch
from aescrm.attribution.services import patient_touches
from aescrm.audit.models import AuditEntry
from aescrm.automation.models import Run, RunLog, StaffNotification
from aescrm.conversions.models import ConversionUpload
from aescrm.inbox.models import BulkRecipient, ConversationNote
from aescrm.mail.models import EmailDetail, Suppression
from aescrm.messaging.models import Call, Channel, Conversation, Message
from aescrm.patients.models import (
    Appointment,
    ConsentEvent,
    Enquiry,
    FieldChange,
    Patient,
    PatientNote,
    RightsDecision,
)
from aescrm.pipeline import scoring
from aescrm.pipeline.models import LeadAlert, StaffTask
from aescrm.privacy.models import PrivacyRequest
from aescrm.scheduling.models import BookingOverride

Row = dict[str, Any]


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    # What the category is, in the summary's words (shown above its table).
    about: str
    # Model labels ("app_label.ModelName") whose rows this category exports.
    models: tuple[str, ...]
    rows: Callable[[Patient], list[Row]]
    # One flat row per line for CSV and the summary; the JSON rows by default.
    flat_rows: Callable[[Patient], list[Row]] | None = None
    optional: bool = False


def pick(obj: Model, fields: Sequence[str]) -> Row:
    """The named attributes of ``obj`` (``x_id`` for foreign keys), decrypted where sealed."""
    return {name: getattr(obj, name) for name in fields}


def _rows(objects: Iterable[Model], fields: Sequence[str]) -> list[Row]:
    return [pick(obj, fields) for obj in objects]


# ---------------------------------------------------------------------------
# One function per category: the patient's rows, nothing of anyone else's.
# ---------------------------------------------------------------------------

PROFILE_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "notes",
    "stage",
    "tags",
    "consent_sms",
    "consent_email",
    "consent_phone",
    "restricted",
    "objects_to_profiling",
    "created_at",
    "updated_at",
)


def profile(patient: Patient) -> list[Row]:
    return [pick(patient, PROFILE_FIELDS)]


def consents(patient: Patient) -> list[Row]:
    events = ConsentEvent.objects.filter(patient=patient).order_by("recorded_at", "id")
    return _rows(
        events, ("id", "purpose", "channel", "granted", "source", "wording", "recorded_at")
    )


def rights_decisions(patient: Patient) -> list[Row]:
    decisions = RightsDecision.objects.filter(patient=patient).order_by("decided_at", "id")
    return _rows(decisions, ("id", "kind", "reason", "decided_at"))


def corrections(patient: Patient) -> list[Row]:
    changes = FieldChange.objects.filter(patient=patient).order_by("changed_at", "id")
    return _rows(changes, ("id", "field", "old_value", "source", "changed_at"))


def privacy_requests(patient: Patient) -> list[Row]:
    requests = PrivacyRequest.objects.filter(patient=patient).order_by("received_on", "id")
    return _rows(
        requests,
        (
            "id",
            "kind",
            "received_on",
            "channel",
            "requester_details",
            "identity_status",
            "evidence_note",
            "due_on",
            "extended_until",
            "extension_reason",
            "person_told_on",
            "status",
            "notes",
            "outcome",
            "completed_at",
        ),
    )


def notes(patient: Patient) -> list[Row]:
    out: list[Row] = [
        {"id": n.pk, "about": "record", "channel": "", "body": n.body, "created_at": n.created_at}
        for n in PatientNote.objects.filter(patient=patient).order_by("created_at", "id")
    ]
    out += [
        {
            "id": n.pk,
            "about": "conversation",
            "channel": n.conversation.channel,
            "body": n.body,
            "created_at": n.created_at,
        }
        for n in ConversationNote.objects.filter(conversation__patient=patient)
        .select_related("conversation")
        .order_by("created_at", "id")
    ]
    return out


def enquiries(patient: Patient) -> list[Row]:
    rows = []
    for e in Enquiry.objects.filter(patient=patient).select_related("treatment"):
        row = pick(
            e,
            (
                "id",
                "channel",
                "message",
                "status",
                "stage",
                "lost_reason",
                "lost_note",
                "stage_changed_at",
                "first_response_at",
                "created_at",
            ),
        )
        row["treatment"] = e.treatment.name if e.treatment else ""
        rows.append(row)
    return sorted(rows, key=lambda r: r["created_at"])


def lead_follow_up(patient: Patient) -> list[Row]:
    """Staff tasks and overdue-response alerts raised about the patient's enquiries."""
    tasks = StaffTask.objects.filter(enquiry__patient=patient).order_by("created_at", "id")
    alerts = LeadAlert.objects.filter(enquiry__patient=patient).order_by("raised_at", "id")
    return [
        {
            "id": t.pk,
            "type": "task",
            "enquiry_id": t.enquiry_id,
            "kind": t.kind,
            "note": t.note,
            "due_at": t.due_at,
            "created_at": t.created_at,
            "done_at": t.done_at,
        }
        for t in tasks
    ] + [
        {
            "id": a.pk,
            "type": "alert",
            "enquiry_id": a.enquiry_id,
            "kind": a.kind,
            "note": "",
            "due_at": a.due_at,
            "created_at": a.raised_at,
            "done_at": a.resolved_at,
        }
        for a in alerts
    ]


def appointments(patient: Patient) -> list[Row]:
    overrides: dict[Any, list[Row]] = {}
    for o in BookingOverride.objects.filter(appointment__patient=patient).order_by("at", "id"):
        overrides.setdefault(o.appointment_id, []).append(
            {"rules": o.rules, "reason": o.reason, "at": o.at}
        )
    rows = []
    for a in Appointment.objects.filter(patient=patient).select_related(
        "treatment", "practitioner"
    ):
        row = pick(
            a,
            (
                "id",
                "starts_at",
                "ends_at",
                "status",
                "value_pence",
                "cancellation_reason",
                "created_at",
                "updated_at",
            ),
        )
        row["treatment"] = a.treatment.name
        row["practitioner"] = a.practitioner.display_name
        row["booking_overrides"] = overrides.get(a.pk, [])
        rows.append(row)
    return rows


MESSAGE_FIELDS = (
    "id",
    "conversation_id",
    "channel",
    "direction",
    "kind",
    "status",
    "body",
    "to_address",
    "from_address",
    "provider",
    "error_code",
    "error_reason",
    "segments",
    "cost_pence",
    "send_after",
    "sent_at",
    "delivered_at",
    "read_at",
    "created_at",
)


def messages(patient: Patient) -> list[Row]:
    """Every message on every channel (SMS, email; calls are their own category)."""
    found = (
        Message.objects.filter(patient=patient)
        .exclude(channel=Channel.CALL)
        .order_by("created_at", "id")
    )
    emails = {d.message_id: d for d in EmailDetail.objects.filter(message__patient=patient)}
    rows = []
    for m in found:
        row = pick(m, MESSAGE_FIELDS)
        detail = emails.get(m.pk)
        row["email_subject"] = detail.subject if detail else ""
        row["email_html"] = detail.html if detail else ""
        rows.append(row)
    # Conversations (one per channel) hold no words of their own; listed for completeness.
    known = {r["conversation_id"] for r in rows}
    for c in Conversation.objects.filter(patient=patient).exclude(pk__in=known):
        rows.append({"conversation_id": c.pk, "channel": c.channel, "created_at": c.created_at})
    return rows


def calls(patient: Patient) -> list[Row]:
    found = Call.objects.filter(patient=patient).select_related("message").order_by("started_at")
    return [
        {
            **pick(
                c,
                (
                    "id",
                    "outcome",
                    "twilio_status",
                    "ring_seconds",
                    "duration_seconds",
                    "started_at",
                    "ended_at",
                    "text_back_id",
                ),
            ),
            "from_number": c.message.from_address,
            "to_number": c.message.to_address,
            "summary": c.message.body,
        }
        for c in found
    ]


def chats(patient: Patient) -> list[Row]:
    return chats_for_export(patient)


def chat_turns(patient: Patient) -> list[Row]:
    return [
        {
            "chat_id": chat["chat_id"],
            "chat_started_at": chat["started_at"],
            **turn,
        }
        for chat in chats_for_export(patient)
        for turn in chat["turns"]
    ]


TOUCH_FIELDS = (
    "id",
    "enquiry_id",
    "position",
    "channel",
    "occurred_at",
    "gclid",
    "gbraid",
    "wbraid",
    "fbclid",
    "fbc",
    "fbp",
    "msclkid",
    "ttclid",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "landing_page",
    "referrer",
    "marketing_consent",
    "created_at",
)


def attribution(patient: Patient) -> list[Row]:
    """Every marketing touch, marking the patient's overall first and last touch."""
    first, last = patient_touches(patient)
    touches = Touch.objects.filter(patient=patient).order_by("occurred_at", "created_at")
    return [
        {
            **pick(t, TOUCH_FIELDS),
            "first_touch_overall": first is not None and t.pk == first.pk,
            "last_touch_overall": last is not None and t.pk == last.pk,
        }
        for t in touches
    ]


def conversion_events(patient: Patient) -> list[Row]:
    events = ConversionEvent.objects.filter(patient=patient).order_by("occurred_at", "id")
    return _rows(
        events,
        (
            "id",
            "kind",
            "enquiry_id",
            "appointment_id",
            "value_pence",
            "occurred_at",
            "first_touch_id",
            "last_touch_id",
            "created_at",
        ),
    )


def ad_platform_conversions(patient: Patient) -> list[Row]:
    """Each conversion's delivery to Google Ads or Meta: what, when, where, and its status."""
    from aescrm.subject_access.sent import sent_payload

    uploads = (
        ConversionUpload.objects.filter(event__patient=patient)
        .select_related("event", "event__patient", "event__first_touch", "event__last_touch")
        .order_by("created_at", "id")
    )
    return [
        {
            **pick(
                u,
                (
                    "id",
                    "event_id",
                    "platform",
                    "status",
                    "reason",
                    "attempts",
                    "last_error",
                    "uploaded_at",
                    "created_at",
                ),
            ),
            "conversion_kind": u.event.kind,
            "value_pence": u.event.value_pence,
            "sent": sent_payload(u),
        }
        for u in uploads
    ]


LEAD_SCORING_LOGIC = (
    "Each enquiry gets a score from 0 to 100 from six factors: the treatment's value, "
    "words of urgency or booking in the message, how the enquiry came in, how complete the "
    "contact details are, how recent it is, and earlier enquiries and visits. Until the "
    "clinic has enough closed enquiries the factors have fixed weights ("
    + ", ".join(f"{k} {v}" for k, v in scoring.RULE_WEIGHTS.items())
    + "); after that the weights are learned from the clinic's own won and lost enquiries. "
    "The score only orders the team's call-back list; it makes no decision about you. "
    "If you object to profiling, no score is worked out."
)


def lead_scores(patient: Patient) -> list[Row]:
    from aescrm.pipeline.selectors import score_leads

    found = list(Enquiry.objects.filter(patient=patient).select_related("patient", "treatment"))
    return [
        {
            "enquiry_id": lead.enquiry.pk,
            "score": lead.score,
            "method": lead.method,
            "reasons": lead.reasons,
        }
        for lead in sorted(score_leads(found), key=lambda lead: lead.enquiry.created_at)
    ]


def automation_runs(patient: Patient) -> list[Row]:
    runs = Run.objects.filter(patient=patient).select_related("rule", "version")
    return [
        {
            **pick(
                r,
                (
                    "id",
                    "status",
                    "step",
                    "enquiry_id",
                    "appointment_id",
                    "due_at",
                    "created_at",
                    "finished_at",
                ),
            ),
            "rule": r.rule.name,
            "rule_version": r.version.number,
            "trigger": r.version.trigger,
            "actions": r.version.actions,
        }
        for r in runs.order_by("created_at", "id")
    ]


def automation_log(patient: Patient) -> list[Row]:
    entries = RunLog.objects.filter(patient=patient).order_by("at", "id")
    return _rows(
        entries,
        (
            "id",
            "at",
            "rule_name",
            "version",
            "run_id",
            "event",
            "step",
            "outcome",
            "reason",
            "detail",
            "message_id",
        ),
    )


def staff_notifications(patient: Patient) -> list[Row]:
    found = StaffNotification.objects.filter(patient=patient).order_by("created_at", "id")
    return _rows(found, ("id", "created_at", "role", "text", "run_id", "read_at"))


def bulk_messages(patient: Patient) -> list[Row]:
    found = (
        BulkRecipient.objects.filter(patient=patient)
        .select_related("bulk")
        .order_by("bulk__created_at", "id")
    )
    return [
        {
            "id": r.pk,
            "bulk_send_id": r.bulk_id,
            "sent_at": r.bulk.created_at,
            "channel": r.bulk.channel,
            "kind": r.bulk.kind,
            "status": r.status,
            "reason": r.reason,
            "reason_text": r.reason_text,
            "message_id": r.message_id,
        }
        for r in found
    ]


def suppressions(patient: Patient) -> list[Row]:
    """Addresses the clinic no longer emails: the patient's own, or one a message of theirs hit."""
    match = Q(message__patient=patient)
    if patient.email_bidx:
        match |= Q(email_bidx=patient.email_bidx)
    found = Suppression.objects.filter(match).order_by("created_at", "id")
    return _rows(found, ("id", "email", "reason", "message_id", "created_at"))


def access_log(patient: Patient) -> list[Row]:
    """Who opened, changed or exported the record: audit entries naming the patient."""
    pid = str(patient.pk)
    entries = AuditEntry.objects.filter(Q(object_id=pid) | Q(detail__patient=pid)).order_by("id")
    return _rows(
        entries,
        ("occurred_at", "actor_type", "actor_label", "action", "object_type", "purpose"),
    )


CATEGORIES: tuple[Category, ...] = (
    Category(
        "profile",
        "Your details",
        "The details on your record and your current marketing choices.",
        ("patients.Patient",),
        profile,
    ),
    Category(
        "consents",
        "Consent history",
        "Every time you gave or withdrew marketing consent, how, and the wording you saw.",
        ("patients.ConsentEvent",),
        consents,
    ),
    Category(
        "rights_decisions",
        "Restriction and objection",
        "Decisions to restrict processing of your data, or to stop marketing or profiling "
        "because you objected, and when they were lifted.",
        ("patients.RightsDecision",),
        rights_decisions,
    ),
    Category(
        "corrections",
        "Corrections to your details",
        "Each change made to your details, with the value it replaced.",
        ("patients.FieldChange",),
        corrections,
    ),
    Category(
        "privacy_requests",
        "Your privacy requests",
        "Requests you made about your data (access, correction, erasure and so on), "
        "how your identity was checked, the deadlines and what was done.",
        ("privacy.PrivacyRequest",),
        privacy_requests,
    ),
    Category(
        "notes",
        "Notes",
        "Notes the clinic's team wrote on your record and on conversations with you.",
        ("patients.PatientNote", "inbox.ConversationNote"),
        notes,
    ),
    Category(
        "enquiries",
        "Enquiries",
        "Each enquiry you made, where it got to and, if it closed, why.",
        ("patients.Enquiry",),
        enquiries,
    ),
    Category(
        "lead_follow_up",
        "Follow-up tasks and alerts",
        "Call-back tasks for the team and alerts about enquiries not yet answered.",
        ("pipeline.StaffTask", "pipeline.LeadAlert"),
        lead_follow_up,
    ),
    Category(
        "appointments",
        "Appointments",
        "Appointments booked for you, with cancellation reasons and any booking-rule overrides.",
        ("patients.Appointment", "scheduling.BookingOverride"),
        appointments,
    ),
    Category(
        "messages",
        "Messages",
        "Every text message and email sent to you or received from you, with its status.",
        ("messaging.Message", "messaging.Conversation", "mail.EmailDetail"),
        messages,
    ),
    Category(
        "calls",
        "Phone calls",
        "Calls from you to the clinic: when, how long and how they ended (no recordings).",
        ("messaging.Call",),
        calls,
    ),
    Category(
        "chats",
        "Website chats",
        "Your conversations with the website assistant or the team, with how each "
        "automated answer was checked.",
        ("assistant.ChatSession", "assistant.ChatTurn"),
        chats,
        flat_rows=chat_turns,
    ),
    Category(
        "attribution",
        "How you found the clinic",
        "Advertising and website visits recorded with your enquiries "
        "(click ids, campaigns, pages).",
        ("attribution.Touch",),
        attribution,
    ),
    Category(
        "conversion_events",
        "Steps recorded for advertising",
        "Enquiries, bookings, visits and payments credited to the visits that brought you.",
        ("attribution.ConversionEvent",),
        conversion_events,
    ),
    Category(
        "ad_platform_conversions",
        "Sent to advertising platforms",
        "What was sent to Google Ads or Meta about those steps, when, and whether it went.",
        ("conversions.ConversionUpload",),
        ad_platform_conversions,
    ),
    Category(
        "lead_scores",
        "Lead scores and their reasons",
        LEAD_SCORING_LOGIC,
        (),
        lead_scores,
    ),
    Category(
        "automation_runs",
        "Automated messages and sequences",
        "Each automation (for example a reminder sequence) that ran for you.",
        ("automation.Run",),
        automation_runs,
    ),
    Category(
        "automation_log",
        "Automation log",
        "Why each automation did or did not act for you.",
        ("automation.RunLog",),
        automation_log,
    ),
    Category(
        "staff_notifications",
        "Notifications to the team",
        "Notes automations left for the team about you.",
        ("automation.StaffNotification",),
        staff_notifications,
    ),
    Category(
        "bulk_messages",
        "Group messages",
        "Messages sent to many patients that included you, or left you out and why.",
        ("inbox.BulkRecipient",),
        bulk_messages,
    ),
    Category(
        "suppressions",
        "Addresses not emailed",
        "Your email address, if the clinic stopped emailing it after a bounce or complaint.",
        ("mail.Suppression",),
        suppressions,
    ),
    Category(
        "access_log",
        "Who accessed your record",
        "Each time a member of the team or a connected system opened, changed or exported "
        "your record.",
        (),
        access_log,
        optional=True,
    ),
)

# Reachable from Patient by foreign keys, but not exported, and why.
NOT_PERSONAL_DATA: dict[str, str] = {
    # Keyed hashes of fragments of the name, email and phone: an index that reveals
    # nothing by itself; the values it indexes are in "profile".
    "patients.PatientSearchToken": "derived search index of values exported in profile",
    # A random routing token in a conversation's reply address; says nothing of the person.
    "mail.ReplyAddress": "random routing token for email replies",
    # The exports themselves: a copy of everything above, not new data.
    "subject_access.SubjectAccessExport": "a copy of the data exported here",
    # Kept only while legal proceedings need the record; what it says is exempt from
    # disclosure for that purpose (DPA 2018 Sch. 2 para 5). The clinic decides case by case.
    "retention.LegalHold": "legal-proceedings hold, exempt from subject access",
}


def categories(*, include_access_log: bool) -> list[Category]:
    return [c for c in CATEGORIES if include_access_log or not c.optional]


def covered_models() -> set[str]:
    return {label for c in CATEGORIES for label in c.models}
