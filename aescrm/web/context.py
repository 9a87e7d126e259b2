"""Template context: the signed-in member's clinics and the navigation their role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aescrm.accounts.permissions import Perm, can_see_patients, has_perm

# The part of the site each item leads to: its link is marked current on every page inside it.
SECTIONS: dict[str, str | tuple[str, ...]] = {
    "web:patients": "/patients/",
    "web:enquiries": "/enquiries/",
    "web:pipeline": "/pipeline/",
    "web:pipeline_tasks": "/tasks/",
    "web:calendar": "/calendar/",
    "inbox:list": "/inbox/",
    "web:audit": "/audit/",
    "web:conversions": "/conversions/",
    "web:outbox": "/outbox/",
    "web:reports": "/reports/",
    "web:message_templates": "/templates/",
    "web:api_keys": "/settings/api-keys",
    "team:list": "/settings/team",
    "web:website_settings": "/settings/website",
    "web:messaging_settings": "/settings/messaging",
    "mail:settings": "/settings/email",
    "automations:list": "/automations/",
    "web:treatments": ("/settings/treatments", "/settings/practitioners"),
    "web:availability_settings": "/settings/availability",
    "web:assistant_knowledge": "/settings/assistant",
    "billing:settings": "/settings/billing",
    "usage:page": "/settings/usage",
    # The privacy centre: one menu item, its pages under tabs (PRIVACY_TABS).
    "privacy:list": (
        "/privacy/",
        "/settings/retention",
        "/settings/notices",
        "/settings/records-of-processing",
        "/settings/support-access",
        "/settings/export",
    ),
}

NAVIGATION = [
    ("web:dashboard", "Dashboard", None),
    ("web:patients", "Patients", "patients"),
    ("web:enquiries", "Enquiries", Perm.ENQUIRY_VIEW),
    ("web:pipeline", "Pipeline", Perm.ENQUIRY_VIEW),
    ("web:pipeline_tasks", "My tasks", Perm.ENQUIRY_EDIT),
    ("web:calendar", "Calendar", Perm.APPOINTMENT_VIEW),
    ("inbox:list", "Inbox", Perm.MESSAGE_VIEW),
    ("web:message_templates", "Templates", Perm.MESSAGE_TEMPLATE_VIEW),
    ("web:outbox", "Outbox", Perm.MESSAGE_VIEW),
    ("automations:list", "Automations", Perm.AUTOMATION_VIEW),
    ("web:conversions", "Conversions", Perm.CONVERSIONS_VIEW),
    ("web:reports", "Reports", Perm.REPORTS_VIEW),
    ("privacy:list", "Privacy", Perm.PRIVACY_VIEW),
    ("web:audit", "Audit log", Perm.AUDIT_VIEW),
    ("team:list", "Team", Perm.MEMBERS_MANAGE),
    ("web:api_keys", "API keys", Perm.API_KEYS_MANAGE),
    ("web:website_settings", "Website", Perm.SETTINGS_MANAGE),
    ("web:messaging_settings", "Texts & calls", Perm.MESSAGING_SETTINGS_MANAGE),
    ("mail:settings", "Email", Perm.EMAIL_SETTINGS_MANAGE),
    ("web:treatments", "Treatments", Perm.CATALOGUE_EDIT),
    ("web:availability_settings", "Availability", Perm.SCHEDULE_MANAGE),
    ("web:assistant_knowledge", "Assistant", Perm.ASSISTANT_VIEW),
    ("billing:settings", "Billing", Perm.BILLING_VIEW),
    ("usage:page", "Usage", Perm.USAGE_VIEW),
]

# The privacy centre's pages, as tabs on each of them (web/_privacy_tabs.html).
PRIVACY_TABS = [
    ("privacy:list", "Requests", Perm.PRIVACY_VIEW),
    ("subject_access:list", "Data exports", Perm.PATIENT_EXPORT),
    ("subject_access:clinic", "Export all clinic data", Perm.CLINIC_EXPORT),
    ("erasure:suppressions", "Suppression list", Perm.PRIVACY_VIEW),
    ("retention:settings", "Retention", Perm.RETENTION_VIEW),
    ("notices:settings", "Privacy notices", Perm.NOTICES_EDIT),
    ("notices:records", "Processing record", Perm.PROCESSING_RECORD_VIEW),
    ("platform_privacy:support_access", "Support access", Perm.SUPPORT_ACCESS_MANAGE),
]


def _current(request: HttpRequest, url_name: str) -> str | None:
    """``aria-current`` for a navigation link: "page" on its own page, "true" within its section."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == url_name:
        return "page"
    section = SECTIONS.get(url_name)
    if section and request.path.startswith(section):  # a prefix, or a tuple of them
        return "true"
    return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    grant = getattr(request, "support_grant", None)
    if grant is not None:
        # AES-CRM support inside a clinic: patient records, read-only, nothing else.
        return {
            "nav_items": [
                {"url_name": "web:patients", "label": "Patients", "current": None},
            ],
            "current_membership": membership,
            "all_memberships": [],
            "support_grant": grant,
        }
    items = []
    for url_name, label, perm in NAVIGATION:
        if (
            perm is None
            or (perm == "patients" and can_see_patients(membership.role))
            or (isinstance(perm, Perm) and has_perm(membership.role, perm))
        ):
            items.append(
                {"url_name": url_name, "label": label, "current": _current(request, url_name)}
            )
    match = getattr(request, "resolver_match", None)
    privacy_tabs = [
        {
            "url_name": url_name,
            "label": label,
            "current": "page" if match is not None and match.view_name == url_name else None,
        }
        for url_name, label, perm in PRIVACY_TABS
        if has_perm(membership.role, perm)
    ]
    from aescrm.accounts.services import memberships_of

    return {
        "nav_items": items,
        "privacy_tabs": privacy_tabs,
        "current_membership": membership,
        "all_memberships": memberships_of(request.user),  # type: ignore[arg-type]
        **account_banner(request, membership),
    }


def account_banner(request: HttpRequest, membership: Any) -> dict[str, Any]:
    """The banner every staff page shows while the account is in grace or read-only
    (aescrm.billing.state), with a link to billing for those who can see it. The state is
    the one the read-only middleware already read for this request, if it did."""
    from aescrm.billing.readonly import request_state

    state = request_state(request, membership.clinic_id)
    if not state.message:
        return {}
    return {
        "account_notice": state.message,
        "account_mode": state.mode.value,
        "account_notice_link": has_perm(membership.role, Perm.BILLING_VIEW),
    }
