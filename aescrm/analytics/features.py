"""The fixed vocabulary of what usage analytics counts, and which of it is essential.

Only these names are ever stored: an event says *that* a clinic (and maybe a
member) used a feature, never which patient or what was written.

- Clinic events (no user): the clinic's service at work — its website widget
  and chatbot, enquiries arriving, automations and reminders going out,
  conversions uploaded to ad platforms. Account telemetry about the service
  AES-CRM Ltd provides under its contract with the clinic; recorded always
  (docs/decisions/0034).
- Member events (a user acted): non-essential analytics; a member who opts
  out under Your account is not recorded at all.
"""

from __future__ import annotations

# feature -> what the platform console calls it
CLINIC_FEATURES: dict[str, str] = {
    "widget_seen": "Website widget loaded",
    "chat_started": "Chatbot conversation started",
    "enquiry_received": "Enquiry from the website",
    "automation_message_sent": "Automation message sent",
    "reminder_sent": "Appointment reminder sent",
    "ad_upload_sent": "Conversion uploaded to an ad platform",
}
MEMBER_FEATURES: dict[str, str] = {
    "sign_in": "Signed in",
    "patient_created": "Patient added",
    "automation_rule_enabled": "Automation switched on",
    "inbox_reply": "Inbox reply",
    "report_viewed": "Report viewed",
    "export_created": "Export created",
}
FEATURES: dict[str, str] = {**CLINIC_FEATURES, **MEMBER_FEATURES}

# The platform dashboard's adoption table: a clinic has adopted a feature when
# any of its events happened in the window.
ADOPTION: dict[str, tuple[str, ...]] = {
    "Website widget": ("widget_seen", "enquiry_received"),
    "Chatbot": ("chat_started",),
    "Automations": ("automation_message_sent", "automation_rule_enabled"),
    "Reminders": ("reminder_sent",),
    "Ad-platform uploads": ("ad_upload_sent",),
}
