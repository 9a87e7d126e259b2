"""The widget links the clinic's own notice, or the generated one when it named none;
``{{ privacy_notice_url }}`` works in templates; marketing email footers carry the link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.tests.conftest import connect, postmark_fake  # noqa: F401 (fixture)
from aescrm.messaging import worker
from aescrm.notices.tests.support import with_assistant
from aescrm.templating.rendering import render
from aescrm.templating.services import TemplateInput, template_create
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def _widget_link(world: ClinicWorld) -> str:
    response = Client().get(f"/public/v1/{world.clinic.public_key}/assistant")
    assert response.status_code == 200
    return str(response.json()["privacy_notice_url"])


def test_the_widget_uses_the_generated_notice_unless_the_clinic_named_its_own(
    clinic_a: ClinicWorld, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://crm.example.org"
    generated = _widget_link(clinic_a)
    with_assistant(clinic_a, privacy_notice_url="https://alpha.example/privacy")
    own = _widget_link(clinic_a)

    assert generated == f"https://crm.example.org/p/{clinic_a.clinic.public_key}/privacy"
    assert Client().get(generated.removeprefix("https://crm.example.org")).status_code == 200
    assert own == "https://alpha.example/privacy"


def test_templates_may_name_the_privacy_notice(clinic_a: ClinicWorld, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://crm.example.org"
    patient = clinic_a.make_patient(first_name="Ann")
    with clinic_scope(clinic_a.clinic.pk):
        template = template_create(
            caller=clinic_a.caller(),
            data=TemplateInput(
                name="Aftercare",
                channel="sms",
                kind="service",
                body_text="Hi {{ first_name }}. Your data: {{ privacy_notice_url }}",
            ),
        )
        rendered = render(template, clinic=clinic_a.clinic, patient=patient)

    assert rendered.text == (
        f"Hi Ann. Your data: https://crm.example.org/p/{clinic_a.clinic.public_key}/privacy"
    )


def test_a_marketing_email_footer_links_the_notice_and_a_service_email_does_not(
    clinic_a: ClinicWorld,
    postmark_fake: FakePostmark,  # noqa: F811
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(email="ann@example.com", consent={"email": True})
    api = clinic_a.api()
    for kind in ("marketing", "service"):
        response = api.post(
            "/api/v1/messages",
            {
                "patient": str(patient.pk),
                "channel": "email",
                "kind": kind,
                "subject": f"A {kind} email",
                "body": "Hello",
            },
        )
        assert response.status_code == 201, response.content
    with clinic_scope(clinic_a.clinic.pk):
        # Midday tomorrow: past any quiet hours the clock of this run fell in.
        midday = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(hour=12, minute=0)
        worker.process_clinic(now=midday)

    sent = {m["Subject"]: m for m in postmark_fake.messages}
    url = f"https://crm.example.org/p/{clinic_a.clinic.public_key}/privacy"
    assert f"How we use your data: {url}" in sent["A marketing email"]["TextBody"]
    assert f'<a href="{url}"' in sent["A marketing email"]["HtmlBody"]
    assert url not in sent["A service email"]["TextBody"]
    assert url not in sent["A service email"]["HtmlBody"]
