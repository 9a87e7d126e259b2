"""What erasure does to every table that can hold something of a patient: one rule per model.

``RULES`` is ordered children first, so each delete removes exactly the rows
its rule counts (nothing is left for a cascade to find). A test walks every
installed model with a foreign-key path to ``patients.Patient`` and fails if
one has no rule here: a new table is noticed before it can outlive an erasure.

Each rule's ``rows(patient)`` is a queryset in the active clinic's scope.
Rules with ``keep`` name rows that stay, minimised by ``minimise``; the
plan shows them with ``why``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from aescrm.patients.models import AppointmentStatus, Patient


@dataclass(frozen=True)
class Category:
    code: str
    label: str


MESSAGES = Category("messages", "Messages on every channel (SMS, email, calls) and their bodies")
CONVERSATIONS = Category("conversations", "Inbox conversations, reply addresses and staff notes")
BOUNCES = Category("email_bounces", "The address on the email bounce list")
CHATS = Category("chats", "Website chats and every turn of them")
ATTRIBUTION = Category("attribution", "Marketing touches (click ids, pages) and conversion events")
UPLOADS = Category("conversion_uploads", "Conversions queued or sent to Google Ads and Meta")
AUTOMATION = Category("automation", "Automation runs, the run log and staff notifications")
BULK = Category("bulk_recipients", "Places on bulk-message lists")
PIPELINE = Category("pipeline", "Lead alerts and staff tasks")
ENQUIRIES = Category("enquiries", "Enquiries")
OVERRIDES = Category("booking_overrides", "Reasons given for booking overrides")
APPOINTMENTS = Category("appointments", "Appointments")
NOTES = Category("notes", "Notes")
CONSENTS = Category("consents", "Consent history")
SEARCH = Category("search_tokens", "Search tokens and blind indexes")
PROFILE = Category("profile", "The patient record (name, email, phone, date of birth, address)")
EXPORTS = Category("exports", "Subject access exports")
RIGHTS = Category(
    "rights", "Restriction and objection decisions, and corrections with the values they replaced"
)
REQUESTS = Category(
    "privacy_requests", "Privacy requests (kept in the register, without the person)"
)
HOLDS = Category("legal_holds", "Lifted legal holds")

CATEGORIES = (
    *(MESSAGES, CONVERSATIONS, BOUNCES, CHATS, ATTRIBUTION, UPLOADS, AUTOMATION, BULK),
    *(PIPELINE, ENQUIRIES, OVERRIDES, APPOINTMENTS, NOTES, CONSENTS, SEARCH, PROFILE, EXPORTS),
    *(RIGHTS, REQUESTS, HOLDS),
    Category("other", "Other linked records"),
)
CATEGORY_LABELS = {c.code: c.label for c in CATEGORIES}

Rows = Callable[[Patient], QuerySet[Any]]


@dataclass(frozen=True)
class Rule:
    model: str  # "app_label.ModelName"
    category: Category
    rows: Rows
    # Rows of this model that stay (minimised), and why; None: everything goes.
    keep: Rows | None = None
    why: str = ""
    # Kept rows are cut loose from the person (no tombstone patient needed for them).
    detach: bool = False


def _m(label: str) -> Any:
    return apps.get_model(label)


def _sessions(p: Patient) -> Q:
    return Q(patient=p) | Q(enquiry__patient=p) | Q(appointment__patient=p)


def _kept_appointments(p: Patient) -> QuerySet[Any]:
    # A treatment given and charged for is the clinic's financial record, which it
    # must keep (HMRC: six years); it stays with no personal data on it.
    return _m("patients.Appointment").objects.filter(
        patient=p, status=AppointmentStatus.ATTENDED, value_pence__gt=0
    )


KEEP_APPOINTMENT_WHY = (
    "Treatments given and charged for are the clinic's financial records, which it must keep "
    "(HMRC: six years). They stay with no personal data: treatment, practitioner, date and "
    "price only; the cancellation reason and everything else about the person goes."
)


def _bounce_rows(p: Patient) -> QuerySet[Any]:
    match = Q(message__patient=p)
    if p.email_bidx:
        match |= Q(email_bidx=p.email_bidx)
    return _m("mail.Suppression").objects.filter(match)


RULES: list[Rule] = [
    # Chats hang off the patient, their enquiries and appointments.
    Rule(
        "assistant.ChatTurn",
        CHATS,
        lambda p: _m("assistant.ChatTurn").objects.filter(
            session__in=_m("assistant.ChatSession").objects.filter(_sessions(p))
        ),
    ),
    Rule(
        "assistant.ChatSession",
        CHATS,
        lambda p: _m("assistant.ChatSession").objects.filter(_sessions(p)),
    ),
    # Automation: the log and notifications name the person and what they booked.
    Rule(
        "automation.RunLog",
        AUTOMATION,
        lambda p: _m("automation.RunLog").objects.filter(Q(patient=p) | Q(run__patient=p)),
    ),
    Rule(
        "automation.StaffNotification",
        AUTOMATION,
        lambda p: _m("automation.StaffNotification").objects.filter(
            Q(patient=p) | Q(run__patient=p)
        ),
    ),
    Rule(
        "automation.Run",
        AUTOMATION,
        lambda p: _m("automation.Run").objects.filter(_sessions(p)),
    ),
    Rule(
        "inbox.BulkRecipient",
        BULK,
        lambda p: _m("inbox.BulkRecipient").objects.filter(Q(patient=p) | Q(message__patient=p)),
    ),
    # Messages on every channel: the email and call parts first, then the messages.
    Rule("mail.Suppression", BOUNCES, _bounce_rows),
    Rule(
        "mail.EmailDetail",
        MESSAGES,
        lambda p: _m("mail.EmailDetail").objects.filter(
            Q(message__patient=p) | Q(message__conversation__patient=p)
        ),
    ),
    Rule(
        "messaging.Call",
        MESSAGES,
        lambda p: _m("messaging.Call").objects.filter(
            Q(patient=p) | Q(message__patient=p) | Q(message__conversation__patient=p)
        ),
    ),
    Rule(
        "messaging.Message",
        MESSAGES,
        lambda p: _m("messaging.Message").objects.filter(Q(patient=p) | Q(conversation__patient=p)),
    ),
    Rule(
        "inbox.ConversationNote",
        CONVERSATIONS,
        lambda p: _m("inbox.ConversationNote").objects.filter(conversation__patient=p),
    ),
    Rule(
        "mail.ReplyAddress",
        CONVERSATIONS,
        lambda p: _m("mail.ReplyAddress").objects.filter(conversation__patient=p),
    ),
    Rule(
        "messaging.Conversation",
        CONVERSATIONS,
        lambda p: _m("messaging.Conversation").objects.filter(patient=p),
    ),
    # Attribution and what was sent to the ad platforms.
    Rule(
        "conversions.ConversionUpload",
        UPLOADS,
        lambda p: _m("conversions.ConversionUpload").objects.filter(
            Q(event__patient=p) | Q(event__enquiry__patient=p) | Q(event__appointment__patient=p)
        ),
        why="Conversions already sent to Google Ads or Meta cannot be recalled from here: "
        "the platforms hold them as their own retention rules say (hashed, no names).",
    ),
    Rule(
        "attribution.ConversionEvent",
        ATTRIBUTION,
        lambda p: _m("attribution.ConversionEvent").objects.filter(_sessions(p)),
    ),
    Rule(
        "attribution.Touch",
        ATTRIBUTION,
        lambda p: _m("attribution.Touch").objects.filter(Q(patient=p) | Q(enquiry__patient=p)),
    ),
    # Leads.
    Rule(
        "pipeline.LeadAlert",
        PIPELINE,
        lambda p: _m("pipeline.LeadAlert").objects.filter(enquiry__patient=p),
    ),
    Rule(
        "pipeline.StaffTask",
        PIPELINE,
        lambda p: _m("pipeline.StaffTask").objects.filter(enquiry__patient=p),
    ),
    Rule("patients.Enquiry", ENQUIRIES, lambda p: _m("patients.Enquiry").objects.filter(patient=p)),
    # Appointments: overrides' reasons may describe health; paid treatments stay minimised.
    Rule(
        "scheduling.BookingOverride",
        OVERRIDES,
        lambda p: _m("scheduling.BookingOverride").objects.filter(appointment__patient=p),
    ),
    Rule(
        "patients.Appointment",
        APPOINTMENTS,
        lambda p: _m("patients.Appointment").objects.filter(patient=p),
        keep=_kept_appointments,
        why=KEEP_APPOINTMENT_WHY,
    ),
    Rule(
        "patients.PatientNote",
        NOTES,
        lambda p: _m("patients.PatientNote").objects.filter(patient=p),
    ),
    Rule(
        "patients.ConsentEvent",
        CONSENTS,
        lambda p: _m("patients.ConsentEvent").objects.filter(patient=p),
    ),
    Rule(
        "patients.RightsDecision",
        RIGHTS,
        lambda p: _m("patients.RightsDecision").objects.filter(patient=p),
    ),
    Rule(
        "patients.FieldChange",
        RIGHTS,
        lambda p: _m("patients.FieldChange").objects.filter(patient=p),
    ),
    # The register proves each request was answered, the erasure included: the rows
    # stay without the person, what they wrote and the identity evidence.
    Rule(
        "privacy.PrivacyRequest",
        REQUESTS,
        lambda p: _m("privacy.PrivacyRequest").objects.filter(patient=p),
        keep=lambda p: _m("privacy.PrivacyRequest").objects.filter(patient=p),
        why="The privacy register keeps each request (kind, dates, outcome) as proof it was "
        "answered; the person's name, contact details and identity evidence are removed.",
        detach=True,
    ),
    # An active hold blocks the erasure; lifted ones go (their audit entries stay).
    Rule(
        "retention.LegalHold",
        HOLDS,
        lambda p: _m("retention.LegalHold").objects.filter(patient=p),
    ),
    Rule(
        "patients.PatientSearchToken",
        SEARCH,
        lambda p: _m("patients.PatientSearchToken").objects.filter(patient=p),
    ),
    # Last: the patient row itself, deleted, or kept as a tombstone for kept rows.
    Rule(
        "patients.Patient",
        PROFILE,
        lambda p: _m("patients.Patient").objects.filter(pk=p.pk),
    ),
]


def _export_rules() -> list[Rule]:
    """Subject access exports (app ``subject_access``, built separately): every model of
    that app with a foreign key to the patient goes with them."""
    if not apps.is_installed("aescrm.subject_access"):
        return []
    found = []
    for model in apps.get_app_config("subject_access").get_models():
        for field in model._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is Patient:
                found.append(Rule(model._meta.label, EXPORTS, _rows_by(model, field.name)))
    return found


def _rows_by(model: Any, field_name: str) -> Rows:
    def rows(p: Patient) -> QuerySet[Any]:
        return model.objects.filter(**{field_name: p})

    return rows


def all_rules() -> list[Rule]:
    """Every rule, in the order erasure applies them (exports first: they copy everything)."""
    return [*_export_rules(), *RULES]


def rule_models() -> set[str]:
    return {rule.model for rule in all_rules()}


# Models reachable from a patient that hold nothing of them and are left alone, and why.
NOT_PERSONAL: dict[str, str] = {}
