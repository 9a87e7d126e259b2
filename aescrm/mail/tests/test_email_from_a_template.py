"""POST /api/v1/messages with an email template: subject, text and HTML from the template,
merge values escaped, the real unsubscribe link in marketing email."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import EmailDetail
from aescrm.mail.tests.conftest import connect
from aescrm.messaging import worker
from aescrm.messaging.models import Message
from aescrm.templating.models import MessageTemplate
from aescrm.templating.services import TemplateInput, template_create
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

OFFER = TemplateInput(
    name="Winter whitening",
    channel="email",
    kind="marketing",
    subject="{{ first_name }}, winter whitening at {{ clinic_name }}",
    body_text="Hi {{ first_name }}, 20% off whitening this winter.\n"
    "Unsubscribe: {{ unsubscribe_link }}",
    body_html="<p>Hi {{ first_name }}, <b>20% off</b> whitening this winter.</p>"
    '<p><a href="{{ unsubscribe_link }}">Unsubscribe</a></p>',
)


def _template(world: ClinicWorld, data: TemplateInput = OFFER) -> MessageTemplate:
    with clinic_scope(world.clinic.pk):
        return template_create(caller=world.caller(), data=data)


@pytest.mark.usefixtures("midday")
def test_a_marketing_template_renders_into_the_email(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    template = _template(clinic_a)
    patient = clinic_a.make_patient(
        first_name="<Ann>", email="ann@example.com", consent={"email": True}
    )
    response = clinic_a.api().post(
        "/api/v1/messages",
        {"patient": str(patient.pk), "channel": "email", "template": str(template.pk)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["subject"]) == (
        "marketing",
        "<Ann>, winter whitening at Alpha Dental",
    )
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=dt.datetime.now(dt.UTC))
        message = Message.objects.get(pk=body["id"])
        detail = EmailDetail.objects.get(message=message)
    sent = postmark_fake.messages[0]
    link = postmark_fake.header(sent, "List-Unsubscribe")
    assert link is not None
    assert sent["Subject"] == "<Ann>, winter whitening at Alpha Dental"
    assert "<p>Hi &lt;Ann&gt;, <b>20% off</b> whitening this winter.</p>" in sent["HtmlBody"]
    assert f'<a href="{link[1:-1]}">Unsubscribe</a>' in sent["HtmlBody"]
    assert sent["TextBody"].startswith(
        f"Hi <Ann>, 20% off whitening this winter.\nUnsubscribe: {link[1:-1]}"
    )
    assert str(detail.html).startswith("<p>Hi &lt;Ann&gt;")


def test_template_refusals_name_the_problem(clinic_a: ClinicWorld, settings: Any) -> None:
    template = _template(clinic_a)
    sms = _template(
        clinic_a,
        TemplateInput(name="Reminder", channel="sms", kind="service", body_text="See you soon"),
    )
    no_consent = clinic_a.make_patient(email="nc@example.com")
    consenting = clinic_a.make_patient(email="yes@example.com", consent={"email": True})
    cases: list[tuple[dict[str, str], str]] = [
        ({"patient": str(no_consent.pk), "template": str(template.pk)}, "no_consent"),
        ({"patient": str(consenting.pk), "template": str(sms.pk)}, "template is for SMS"),
        (
            {"patient": str(consenting.pk), "template": "00000000-0000-0000-0000-000000000000"},
            "no such",
        ),
        ({"patient": str(consenting.pk)}, "body"),
    ]
    for fields, words in cases:
        response = clinic_a.api().post("/api/v1/messages", {"channel": "email", **fields})
        assert response.status_code == 422, (words, response.content)
        problem = response.json()
        assert words in problem.get("reason", "") + problem["detail"], problem
    with clinic_scope(clinic_a.clinic.pk):
        assert Message.objects.count() == 0


def test_another_clinics_template_cannot_be_used(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    template = _template(clinic_a)
    patient = clinic_b.make_patient(email="b@example.com", consent={"email": True})
    response = clinic_b.api().post(
        "/api/v1/messages",
        {"patient": str(patient.pk), "channel": "email", "template": str(template.pk)},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "template", "message": "no such active template in this clinic"}
    ]
    with clinic_scope(clinic_b.clinic.pk):
        assert Message.objects.count() == 0
