"""Staff pages: list, create, edit, delete, and a preview with a real patient (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.tests.support import make_template
from aescrm.web.tests.support import book, member_client

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Reminder",
    "channel": "sms",
    "kind": "service",
    "subject": "",
    "body_text": "Hi {{ first_name }}, see you {{ appointment_time }}.",
    "body_html": "",
    "active": "on",
}


def test_a_manager_creates_a_template_and_sees_the_server_part_count(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")
    page = client.get("/templates/new")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/static/templating/counter.js"' in html
    assert "data-sms-counter" in html and "<script>" not in html

    response = client.post("/templates/new", NEW)

    with clinic_scope(clinic_a.clinic.pk):
        template = MessageTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/templates/{template.pk}/"
    assert template.body_text == NEW["body_text"]


def test_a_marketing_template_naming_botox_is_refused_with_the_rule(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")
    response = client.post(
        "/templates/new",
        {**NEW, "kind": "marketing", "body_text": "Botox offer! Reply STOP to opt out"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Human Medicines Regulations 2012" in html
    assert "anti-wrinkle consultation" in html
    # the server's count of what was typed: 34 GSM-7 characters, one part
    assert "data-sms-parts>1<" in html and "data-sms-remaining>126<" in html
    with clinic_scope(clinic_a.clinic.pk):
        assert not MessageTemplate.objects.exists()


def test_an_unknown_field_is_shown_against_the_message_text(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").post(
        "/templates/new", {**NEW, "body_text": "Hi {{ surname }}"}
    )
    assert response.status_code == 422
    assert "Unknown merge field {{ surname }}" in response.content.decode()


def test_an_owner_edits_and_deletes_a_template(clinic_a: Any) -> None:
    template = make_template(clinic_a)
    client = member_client(clinic_a, "owner")
    assert client.get(f"/templates/{template.pk}/edit").status_code == 200

    edited = client.post(f"/templates/{template.pk}/edit", {**NEW, "name": "Renamed"})
    assert edited.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        assert MessageTemplate.objects.get().name == "Renamed"

    deleted = client.post(f"/templates/{template.pk}/delete")
    assert deleted.status_code == 302 and deleted["Location"] == "/templates/"
    with clinic_scope(clinic_a.clinic.pk):
        assert not MessageTemplate.objects.exists()


def test_a_receptionist_views_and_previews_but_cannot_change(clinic_a: Any) -> None:
    template = make_template(clinic_a)
    client = member_client(clinic_a, "receptionist")
    listed = client.get("/templates/").content.decode()
    assert "Reminder" in listed and "New template" not in listed
    detail = client.get(f"/templates/{template.pk}/").content.decode()
    assert "Edit template" not in detail and "Preview with a patient" in detail
    assert client.post(f"/templates/{template.pk}/edit", NEW).status_code == 403
    assert client.post(f"/templates/{template.pk}/delete").status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert MessageTemplate.objects.get().body_text == template.body_text


def test_the_preview_finds_a_patient_renders_and_audits_the_read(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    appointment = book(clinic_a, patient, dt.datetime(2026, 3, 3, 10, 30))
    template = make_template(clinic_a)
    client = member_client(clinic_a, "receptionist")

    found = client.get(f"/templates/{template.pk}/", {"q": "quix"}).content.decode()
    assert f"?patient={patient.pk}" in found

    no_appointment = client.get(f"/templates/{template.pk}/", {"patient": str(patient.pk)})
    assert no_appointment.status_code == 422
    assert "choose an appointment" in no_appointment.content.decode()

    response = client.get(
        f"/templates/{template.pk}/",
        {"patient": str(patient.pk), "appointment": str(appointment.pk)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hi Zebedee, see you Tuesday 3 March at 10:30 for Hygienist appointment" in html
    assert "1 SMS part · GSM-7" in html
    with clinic_scope(clinic_a.clinic.pk):
        reads = AuditEntry.objects.filter(action="patient.read", object_id=str(patient.pk))
        assert {e.purpose for e in reads} == {"template preview"}


def test_an_email_preview_is_shown_in_a_sandboxed_frame(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="<Amy>")
    template = make_template(
        clinic_a,
        name="Follow-up",
        channel="email",
        subject="Thank you, {{ first_name }}",
        body_text="Hi {{ first_name }}",
        body_html="<p>Hi {{ first_name }}</p>",
    )
    html = (
        member_client(clinic_a, "owner")
        .get(f"/templates/{template.pk}/", {"patient": str(patient.pk)})
        .content.decode()
    )
    assert "Thank you, &lt;Amy&gt;" in html
    assert 'sandbox srcdoc="&lt;p&gt;Hi &amp;lt;Amy&amp;gt;&lt;/p&gt;"' in html


def test_a_member_of_clinic_b_gets_404_for_every_page_and_changes_nothing(
    clinic_a: Any, clinic_b: Any
) -> None:
    template = make_template(clinic_a)
    patient = clinic_a.make_patient(first_name="Zebedee")
    outsider = member_client(clinic_b, "owner")

    assert "Reminder" not in outsider.get("/templates/").content.decode()
    for url in (f"/templates/{template.pk}/", f"/templates/{template.pk}/edit"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/templates/{template.pk}/edit", NEW).status_code == 404
    assert outsider.post(f"/templates/{template.pk}/delete").status_code == 404
    # clinic B's own template cannot be previewed with clinic A's patient
    own = make_template(clinic_b, body_text="Hi {{ first_name }}")
    preview = outsider.get(f"/templates/{own.pk}/", {"patient": str(patient.pk)})
    assert preview.status_code == 422 and "Zebedee" not in preview.content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        assert MessageTemplate.objects.get().name == "Reminder"
        assert not AuditEntry.objects.filter(action="patient.read").exists()
