"""Every staff page answers 200 to the roles allowed and 403 to everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from aescrm.accounts.permissions import Role
from aescrm.core.tenancy import clinic_scope
from aescrm.templating.services import TemplateInput, template_create
from aescrm.web.tests.support import SUMMER_DAY, book, member_client

pytestmark = pytest.mark.django_db

OWNER, MANAGER, CLINICIAN = Role.OWNER.value, Role.MANAGER.value, Role.CLINICIAN.value
RECEPTIONIST, MARKETER, AUDITOR = (
    Role.RECEPTIONIST.value,
    Role.MARKETER.value,
    Role.AUDITOR.value,
)
EVERYONE = {OWNER, MANAGER, CLINICIAN, RECEPTIONIST, MARKETER, AUDITOR}

# page name → (URL built from the patient's id, roles that may open it)
PAGES: dict[str, tuple[str, set[str]]] = {
    "dashboard": ("/", EVERYONE),
    "patients": ("/patients/", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST, MARKETER}),
    "patient search": ("/patients/?q=quix", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST, MARKETER}),
    "new patient": ("/patients/new", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST}),
    "patient profile": ("/patients/{pid}/", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST, MARKETER}),
    "edit patient": ("/patients/{pid}/edit", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST}),
    "enquiries": ("/enquiries/", {OWNER, MANAGER, RECEPTIONIST, MARKETER}),
    "calendar day": ("/calendar/?date=2026-07-01", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST}),
    "calendar week": (
        "/calendar/?date=2026-07-01&view=week",
        {OWNER, MANAGER, CLINICIAN, RECEPTIONIST},
    ),
    "booking": ("/calendar/book?patient={pid}", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST}),
    "audit log": ("/audit/", {OWNER, MANAGER, AUDITOR}),
    "audit export": ("/audit/export.csv", {OWNER, MANAGER, AUDITOR}),
    "API keys": ("/settings/api-keys", {OWNER, MANAGER}),
    "team": ("/settings/team", {OWNER, MANAGER}),
    "website settings": ("/settings/website", {OWNER}),
    "onboarding": ("/onboarding", {OWNER, MANAGER}),
    "texts and calls settings": ("/settings/messaging", {OWNER, MANAGER}),
    "email settings": ("/settings/email", {OWNER, MANAGER}),
    "availability settings": ("/settings/availability", {OWNER, MANAGER}),
    "treatments": ("/settings/treatments", {OWNER, MANAGER}),
    "edit treatment": ("/settings/treatments/{trid}/edit", {OWNER, MANAGER}),
    "practitioners": ("/settings/practitioners", {OWNER, MANAGER}),
    "edit practitioner": ("/settings/practitioners/{prid}/edit", {OWNER, MANAGER}),
    "conversions": ("/conversions/", {OWNER, MANAGER, MARKETER}),
    "outbox": ("/outbox/", {OWNER, MANAGER, RECEPTIONIST, CLINICIAN, MARKETER}),
    "website chats": ("/inbox/chats/", {OWNER, MANAGER, CLINICIAN, RECEPTIONIST}),
    "conversion settings": ("/conversions/settings", {OWNER, MANAGER}),
    "reports": ("/reports/", {OWNER, MANAGER, MARKETER, AUDITOR}),
    "report export": ("/reports/attribution.csv", {OWNER, MANAGER, MARKETER, AUDITOR}),
    "ad spend": ("/reports/ad-spend", {OWNER, MANAGER, MARKETER}),
    "pipeline": ("/pipeline/", {OWNER, MANAGER, RECEPTIONIST, MARKETER}),
    "my tasks": ("/tasks/", {OWNER, MANAGER, RECEPTIONIST}),
    "pipeline settings": ("/pipeline/settings", {OWNER}),
    "message templates": ("/templates/", {OWNER, MANAGER, RECEPTIONIST}),
    "new message template": ("/templates/new", {OWNER, MANAGER}),
    "message template": ("/templates/{tid}/", {OWNER, MANAGER, RECEPTIONIST}),
    "message template preview": (
        "/templates/{tid}/?patient={pid}",
        {OWNER, MANAGER, RECEPTIONIST},
    ),
    "edit message template": ("/templates/{tid}/edit", {OWNER, MANAGER}),
    "assistant knowledge": (
        "/settings/assistant/knowledge",
        {OWNER, MANAGER, RECEPTIONIST, MARKETER},
    ),
    "assistant settings": ("/settings/assistant", {OWNER, MANAGER, RECEPTIONIST, MARKETER}),
    "new assistant knowledge": ("/settings/assistant/knowledge/new", {OWNER, MANAGER}),
    "privacy requests": ("/privacy/", {OWNER, MANAGER, AUDITOR}),
    "closed privacy requests": ("/privacy/?show=closed", {OWNER, MANAGER, AUDITOR}),
    "new privacy request": ("/privacy/new?patient={pid}", {OWNER, MANAGER}),
    "suppression list": ("/privacy/suppressions/", {OWNER, MANAGER, AUDITOR}),
    "retention settings": ("/settings/retention", {OWNER, MANAGER, AUDITOR}),
    "usage": ("/settings/usage", {OWNER, MANAGER}),
    "patient legal hold": ("/patients/{pid}/legal-hold", {OWNER, MANAGER}),
    "clinic export": ("/settings/export", {OWNER}),
    "billing": ("/settings/billing", {OWNER, MANAGER}),
}
CASES = [
    pytest.param(url, role, 200 if role in allowed else 403, id=f"{page}-{role}")
    for page, (url, allowed) in PAGES.items()
    for role in sorted(EVERYONE)
]


@pytest.mark.parametrize(("url", "role", "expected"), CASES)
def test_it_answers_each_role_with_the_expected_status(
    clinic_a: Any, url: str, role: str, expected: int
) -> None:
    # Given a patient the clinic's clinician treats (so they may see them too)
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    # and a message template
    with clinic_scope(clinic_a.clinic.pk):
        template = template_create(
            caller=clinic_a.caller(),
            data=TemplateInput(
                name="Hello", channel="sms", kind="service", body_text="Hi {{ first_name }}"
            ),
        )
    client = member_client(clinic_a, role)

    # When the member opens the page
    response = client.get(
        url.format(
            pid=patient.pk,
            tid=template.pk,
            trid=clinic_a.treatment.pk,
            prid=clinic_a.practitioner.pk,
        )
    )

    # Then they get it, or a 403 page that says why
    assert response.status_code == expected, response.content[:500]
    if response["Content-Type"].startswith("text/html"):
        assert response.content.decode().count("<h1") == 1
    if expected == 403:
        assert "Your role does not give access to this page." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (
            OWNER,
            [
                "Dashboard",
                "Patients",
                "Enquiries",
                "Pipeline",
                "My tasks",
                "Calendar",
                "Inbox",
                "Templates",
                "Outbox",
                "Automations",
                "Conversions",
                "Reports",
                "Privacy",
                "Audit log",
                "Team",
                "API keys",
                "Website",
                "Texts &amp; calls",
                "Email",
                "Treatments",
                "Availability",
                "Assistant",
                "Billing",
                "Usage",
            ],
        ),
        (
            RECEPTIONIST,
            [
                "Dashboard",
                "Patients",
                "Enquiries",
                "Pipeline",
                "My tasks",
                "Calendar",
                "Inbox",
                "Templates",
                "Outbox",
                "Automations",
                "Assistant",
            ],
        ),
        (CLINICIAN, ["Dashboard", "Patients", "Calendar", "Inbox", "Outbox"]),
        (
            MARKETER,
            [
                "Dashboard",
                "Patients",
                "Enquiries",
                "Pipeline",
                "Inbox",
                "Outbox",
                "Conversions",
                "Reports",
                "Assistant",
            ],
        ),
        (
            AUDITOR,
            ["Dashboard", "Reports", "Privacy", "Audit log"],
        ),
    ],
)
def test_it_shows_each_role_only_the_navigation_it_may_use(
    clinic_a: Any, role: str, visible: list[str]
) -> None:
    response = member_client(clinic_a, role).get(reverse("web:dashboard"))

    nav = response.content.decode().split('<nav aria-label="Main">')[1].split("</nav>")[0]
    labels = [part.split("</a>")[0].split(">")[-1] for part in nav.split("<a ")[1:]]
    assert labels == visible
    assert 'aria-current="page">Dashboard</a>' in nav


def test_it_marks_the_section_of_a_page_inside_it_as_current(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")

    page = member_client(clinic_a, RECEPTIONIST).get(f"/patients/{patient.pk}/").content.decode()

    assert '<a href="/patients/" aria-current="true">Patients</a>' in page
    assert 'aria-current="page"' not in page.split("</nav>")[0]


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        (
            OWNER,
            [
                "Requests",
                "Data exports",
                "Export all clinic data",
                "Suppression list",
                "Retention",
                "Privacy notices",
                "Processing record",
                "Support access",
            ],
        ),
        (
            MANAGER,
            [
                "Requests",
                "Data exports",
                "Suppression list",
                "Retention",
                "Privacy notices",
                "Processing record",
            ],
        ),
        (AUDITOR, ["Requests", "Suppression list", "Retention", "Processing record"]),
    ],
)
def test_the_privacy_centre_is_one_menu_item_with_its_pages_as_tabs(
    clinic_a: Any, role: str, tabs: list[str]
) -> None:
    """Each privacy page shows the tabs the role may open, marks its own, and keeps the
    Privacy menu item current."""
    client = member_client(clinic_a, role)
    for path in ("/privacy/", "/settings/retention", "/settings/records-of-processing"):
        page = client.get(path).content.decode()
        tab_nav = page.split('aria-label="Privacy centre">')[1].split("</nav>")[0]
        labels = [part.split("</a>")[0].split(">")[-1] for part in tab_nav.split("<a ")[1:]]
        assert labels == tabs, path
        assert tab_nav.count('aria-current="page"') == 1, path
        assert 'href="/privacy/" aria-current' in page.split('<nav aria-label="Main">')[1]
