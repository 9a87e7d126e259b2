"""Who may do what: the one table of roles, permissions and API scopes.

Views, API endpoints and services all ask ``has_perm(role, Perm.X)``; nothing
else decides access.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Practice manager"
    CLINICIAN = "clinician", "Clinician"
    RECEPTIONIST = "receptionist", "Receptionist"
    MARKETER = "marketer", "Marketer"
    AUDITOR = "auditor", "Auditor"


class Perm(StrEnum):
    PATIENT_VIEW = "patient.view"
    # Clinicians see only the patients they treat (see selectors).
    PATIENT_VIEW_OWN = "patient.view_own"
    PATIENT_EDIT = "patient.edit"
    PATIENT_DELETE = "patient.delete"
    # Erase a person everywhere and put them on the suppression list (docs/decisions/0025).
    PATIENT_ERASE = "patient.erase"
    NOTES_VIEW = "notes.view"
    ENQUIRY_VIEW = "enquiry.view"
    ENQUIRY_EDIT = "enquiry.edit"
    APPOINTMENT_VIEW = "appointment.view"
    APPOINTMENT_EDIT = "appointment.edit"
    # Book or move despite the booking rules (past, outside hours, closed), with a
    # reason; never over another appointment (docs/decisions/0020).
    APPOINTMENT_OVERRIDE = "appointment.override"
    # Working hours, breaks, time off, closures and the bank-holiday switch.
    SCHEDULE_MANAGE = "schedule.manage"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    MESSAGE_BODY_VIEW = "message.body_view"
    # Messages: see them (who, when, status; bodies need MESSAGE_BODY_VIEW); send them.
    MESSAGE_VIEW = "message.view"
    MESSAGE_SEND = "message.send"
    ATTRIBUTION_VIEW = "attribution.view"
    REPORTS_VIEW = "reports.view"
    AD_SPEND_EDIT = "ad_spend.edit"
    AUDIT_VIEW = "audit.view"
    # The team: see members and pending invitations; invite, change roles, remove members.
    # Only an owner invites or makes an owner, or changes or removes one (docs/decisions/0029).
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    API_KEYS_MANAGE = "api_keys.manage"
    SETTINGS_MANAGE = "settings.manage"
    # The clinic's email (Postmark) settings and webhook login.
    EMAIL_SETTINGS_MANAGE = "email_settings.manage"
    # Ad platform conversion uploads: see their status; change platform settings.
    CONVERSIONS_VIEW = "conversions.view"
    CONVERSIONS_MANAGE = "conversions.manage"
    # Message templates: see and preview them; write them (docs/decisions/0014).
    MESSAGE_TEMPLATE_VIEW = "message_template.view"
    MESSAGE_TEMPLATE_EDIT = "message_template.edit"
    # The clinic's Twilio account, numbers, quiet hours and call handling (owners, managers).
    MESSAGING_SETTINGS_MANAGE = "messaging_settings.manage"
    # One message to many patients from the inbox (docs/decisions/0018).
    MESSAGE_BULK_SEND = "message.bulk_send"
    # Automations: see rules, the run log (why a patient did or did not get a message), the
    # dry run and the queue's health; build and change rules and their links (0019).
    AUTOMATION_VIEW = "automation.view"
    AUTOMATION_EDIT = "automation.edit"
    # The website assistant: read its knowledge and settings and try it out; change them.
    ASSISTANT_VIEW = "assistant.view"
    ASSISTANT_MANAGE = "assistant.manage"
    # Website chats: read transcripts (personal data: not marketers or auditors; clinicians
    # only their own patients' chats); take over, reply and hand back to the assistant.
    CHAT_VIEW = "chat.view"
    CHAT_REPLY = "chat.reply"
    # People's privacy requests (access, erasure, …): see the register; log and answer them.
    # Names and what the requester wrote also need PATIENT_VIEW (docs/decisions/0023).
    PRIVACY_VIEW = "privacy.view"
    PRIVACY_MANAGE = "privacy.manage"
    # Retention: see the policies, the last runs and the legal holds; place and lift holds
    # and lengthen a policy (docs/decisions/0026).
    RETENTION_VIEW = "retention.view"
    RETENTION_MANAGE = "retention.manage"
    # Subject access / portability: export everything held about a patient (0024).
    PATIENT_EXPORT = "patient.export"
    # Export all of the clinic's data in one zip, also when the account is read-only (owners;
    # docs/decisions/0032).
    CLINIC_EXPORT = "clinic.export"
    # The clinic's privacy notice and AI disclosure: change a section's wording, reset it.
    NOTICES_EDIT = "notices.edit"
    # The record of processing (UK GDPR Article 30) generated for the clinic.
    PROCESSING_RECORD_VIEW = "processing_record.view"
    # Approve or deny AES-CRM support staff's requests to see the clinic's data (owners).
    SUPPORT_ACCESS_MANAGE = "support_access.manage"
    # The clinic's plan, subscription state and invoices (Settings → Billing); choosing a
    # plan and opening Stripe's billing portal (owners: they hold the contract).
    BILLING_VIEW = "billing.view"
    BILLING_MANAGE = "billing.manage"
    # The plan's usage this billing period (SMS, email, chat, seats) against its limits.
    USAGE_VIEW = "usage.view"
    # Choose to keep sending past a limit and pay for the overage (owners: it costs money).
    USAGE_OVERAGE_MANAGE = "usage.overage_manage"


_CLINICAL_DESK = {
    Perm.PATIENT_VIEW,
    Perm.PATIENT_EDIT,
    Perm.NOTES_VIEW,
    Perm.ENQUIRY_VIEW,
    Perm.ENQUIRY_EDIT,
    Perm.APPOINTMENT_VIEW,
    Perm.APPOINTMENT_EDIT,
    Perm.APPOINTMENT_OVERRIDE,
    Perm.CATALOGUE_VIEW,
    Perm.MESSAGE_BODY_VIEW,
    Perm.MESSAGE_TEMPLATE_VIEW,
    Perm.MESSAGE_VIEW,
    Perm.MESSAGE_SEND,
    Perm.CHAT_VIEW,
    Perm.CHAT_REPLY,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm) - {Perm.PATIENT_VIEW_OWN},
    Role.MANAGER: frozenset(
        _CLINICAL_DESK
        | {
            Perm.PATIENT_DELETE,
            Perm.PATIENT_ERASE,
            Perm.CATALOGUE_EDIT,
            Perm.ATTRIBUTION_VIEW,
            Perm.REPORTS_VIEW,
            Perm.AD_SPEND_EDIT,
            Perm.AUDIT_VIEW,
            Perm.MEMBERS_VIEW,
            Perm.MEMBERS_MANAGE,
            Perm.API_KEYS_MANAGE,
            Perm.CONVERSIONS_VIEW,
            Perm.CONVERSIONS_MANAGE,
            Perm.MESSAGE_TEMPLATE_EDIT,
            Perm.MESSAGING_SETTINGS_MANAGE,
            Perm.MESSAGE_BULK_SEND,
            Perm.EMAIL_SETTINGS_MANAGE,
            Perm.AUTOMATION_VIEW,
            Perm.AUTOMATION_EDIT,
            Perm.SCHEDULE_MANAGE,
            Perm.ASSISTANT_VIEW,
            Perm.ASSISTANT_MANAGE,
            Perm.PRIVACY_VIEW,
            Perm.PRIVACY_MANAGE,
            Perm.RETENTION_VIEW,
            Perm.RETENTION_MANAGE,
            Perm.PATIENT_EXPORT,
            Perm.NOTICES_EDIT,
            Perm.PROCESSING_RECORD_VIEW,
            Perm.BILLING_VIEW,
            Perm.USAGE_VIEW,
        }
    ),
    # Receptionists answer "why didn't the patient get a reminder?": they read the run log.
    # They also check what the website assistant tells patients.
    Role.RECEPTIONIST: frozenset(_CLINICAL_DESK | {Perm.AUTOMATION_VIEW, Perm.ASSISTANT_VIEW}),
    Role.CLINICIAN: frozenset(
        {
            Perm.PATIENT_VIEW_OWN,
            Perm.PATIENT_EDIT,
            Perm.NOTES_VIEW,
            Perm.APPOINTMENT_VIEW,
            Perm.APPOINTMENT_EDIT,
            Perm.APPOINTMENT_OVERRIDE,
            Perm.CATALOGUE_VIEW,
            Perm.MESSAGE_BODY_VIEW,
            Perm.MESSAGE_VIEW,
            Perm.MESSAGE_SEND,
            Perm.CHAT_VIEW,
        }
    ),
    # Marketers see who became a patient and from which campaign, but no
    # notes and no message bodies.
    Role.MARKETER: frozenset(
        {
            Perm.PATIENT_VIEW,
            Perm.ENQUIRY_VIEW,
            Perm.CATALOGUE_VIEW,
            Perm.ATTRIBUTION_VIEW,
            Perm.REPORTS_VIEW,
            Perm.CONVERSIONS_VIEW,
            Perm.AD_SPEND_EDIT,
            Perm.MESSAGE_VIEW,
            Perm.ASSISTANT_VIEW,
        }
    ),
    # Auditors check the privacy register is kept (dates, status, outcome), without names.
    Role.AUDITOR: frozenset(
        {
            Perm.AUDIT_VIEW,
            Perm.REPORTS_VIEW,
            Perm.PRIVACY_VIEW,
            Perm.RETENTION_VIEW,
            Perm.PROCESSING_RECORD_VIEW,
        }
    ),
}


def has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())


def can_see_patients(role: str) -> bool:
    return has_perm(role, Perm.PATIENT_VIEW) or has_perm(role, Perm.PATIENT_VIEW_OWN)


# Roles that must use two-factor authentication.
TWO_FACTOR_REQUIRED = frozenset({Role.OWNER, Role.MANAGER})


class Scope(StrEnum):
    """What an API key may do. Each scope maps onto the same permissions as roles."""

    PATIENTS_READ = "patients:read"
    PATIENTS_WRITE = "patients:write"
    ENQUIRIES_READ = "enquiries:read"
    ENQUIRIES_WRITE = "enquiries:write"
    APPOINTMENTS_READ = "appointments:read"
    APPOINTMENTS_WRITE = "appointments:write"
    # Lets the key set the booking rules aside (with a reason); not implied by write.
    APPOINTMENTS_OVERRIDE = "appointments:override"
    CATALOGUE_READ = "catalogue:read"
    # Add, change, archive and restore treatments and practitioners.
    CATALOGUE_WRITE = "catalogue:write"
    AUDIT_READ = "audit:read"
    CONVERSIONS_READ = "conversions:read"
    REPORTS_READ = "reports:read"
    AD_SPEND_WRITE = "ad_spend:write"
    MESSAGES_READ = "messages:read"
    MESSAGES_WRITE = "messages:write"
    AUTOMATIONS_READ = "automations:read"
    PRIVACY_READ = "privacy:read"
    PRIVACY_WRITE = "privacy:write"
    # Start subject-access exports and fetch their download links; not implied by read.
    PATIENTS_EXPORT = "patients:export"
    # Erasure is irreversible: never implied by patients:write.
    PATIENTS_ERASE = "patients:erase"
    # Export every record of the clinic (decision 0032): never implied by another scope.
    CLINIC_EXPORT = "clinic:export"
    # The team: list members and invitations; invite, change roles, remove. A key never
    # touches an owner or makes one: that needs a signed-in owner.
    TEAM_READ = "team:read"
    TEAM_WRITE = "team:write"
    # The plan's usage this billing period (GET /api/v1/usage).
    USAGE_READ = "usage:read"


SCOPE_PERMISSIONS: dict[Scope, frozenset[Perm]] = {
    Scope.PATIENTS_READ: frozenset({Perm.PATIENT_VIEW, Perm.NOTES_VIEW}),
    Scope.PATIENTS_WRITE: frozenset({Perm.PATIENT_EDIT, Perm.PATIENT_DELETE}),
    Scope.ENQUIRIES_READ: frozenset({Perm.ENQUIRY_VIEW}),
    Scope.ENQUIRIES_WRITE: frozenset({Perm.ENQUIRY_EDIT}),
    Scope.APPOINTMENTS_READ: frozenset({Perm.APPOINTMENT_VIEW}),
    Scope.APPOINTMENTS_WRITE: frozenset({Perm.APPOINTMENT_EDIT}),
    Scope.APPOINTMENTS_OVERRIDE: frozenset({Perm.APPOINTMENT_OVERRIDE}),
    Scope.CATALOGUE_READ: frozenset({Perm.CATALOGUE_VIEW}),
    Scope.CATALOGUE_WRITE: frozenset({Perm.CATALOGUE_EDIT}),
    Scope.AUDIT_READ: frozenset({Perm.AUDIT_VIEW}),
    Scope.CONVERSIONS_READ: frozenset({Perm.CONVERSIONS_VIEW}),
    Scope.REPORTS_READ: frozenset({Perm.REPORTS_VIEW}),
    Scope.AD_SPEND_WRITE: frozenset({Perm.AD_SPEND_EDIT}),
    Scope.MESSAGES_READ: frozenset(
        {Perm.MESSAGE_VIEW, Perm.MESSAGE_BODY_VIEW, Perm.MESSAGE_TEMPLATE_VIEW, Perm.CHAT_VIEW}
    ),
    Scope.MESSAGES_WRITE: frozenset({Perm.MESSAGE_SEND}),
    Scope.AUTOMATIONS_READ: frozenset({Perm.AUTOMATION_VIEW}),
    Scope.PRIVACY_READ: frozenset({Perm.PRIVACY_VIEW}),
    Scope.PRIVACY_WRITE: frozenset({Perm.PRIVACY_MANAGE}),
    Scope.PATIENTS_EXPORT: frozenset({Perm.PATIENT_EXPORT}),
    Scope.PATIENTS_ERASE: frozenset({Perm.PATIENT_ERASE}),
    Scope.CLINIC_EXPORT: frozenset({Perm.CLINIC_EXPORT}),
    Scope.TEAM_READ: frozenset({Perm.MEMBERS_VIEW}),
    Scope.TEAM_WRITE: frozenset({Perm.MEMBERS_MANAGE}),
    Scope.USAGE_READ: frozenset({Perm.USAGE_VIEW}),
}


SCOPE_VALUES = frozenset(s.value for s in Scope)


def scopes_grant(scopes: list[str], perm: Perm) -> bool:
    return any(perm in SCOPE_PERMISSIONS[Scope(s)] for s in scopes if s in SCOPE_VALUES)
