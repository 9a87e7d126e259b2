"""Create, update and delete: checked, unique per clinic and channel, audited without bodies."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import Conflict, PermissionDenied, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.services import TemplateInput, template_delete, template_update
from aescrm.templating.tests.support import make_template

pytestmark = pytest.mark.django_db


def test_it_audits_create_update_and_delete_naming_fields_not_bodies(clinic_a: Any) -> None:
    template = make_template(clinic_a, body_text="Secret wording {{ first_name }}")
    template_id = str(template.pk)
    with clinic_scope(clinic_a.clinic.pk):
        template_update(
            caller=clinic_a.caller(),
            template=template,
            data=TemplateInput(
                name="Reminder", channel="sms", kind="service", body_text="New {{ first_name }}"
            ),
        )
        template_delete(caller=clinic_a.caller(), template=template)
        entries = list(
            AuditEntry.objects.filter(object_type="message_template").order_by("occurred_at")
        )
        assert not MessageTemplate.objects.exists()

    assert [e.action for e in entries] == [
        "message_template.create",
        "message_template.update",
        "message_template.delete",
    ]
    assert entries[0].detail == {"channel": "sms", "kind": "service"}
    assert entries[1].detail == {"fields": ["body_text"]}
    assert all(e.object_id == template_id for e in entries)
    assert not any("wording" in str(e.detail) or "New" in str(e.detail) for e in entries)


def test_names_are_unique_per_clinic_and_channel(clinic_a: Any, clinic_b: Any) -> None:
    make_template(clinic_a, name="Reminder")
    # the same name on email, and in another clinic, is fine
    make_template(clinic_a, name="Reminder", channel="email", subject="Reminder", body_text="Hi")
    make_template(clinic_b, name="Reminder")
    with pytest.raises(Conflict) as refused:
        make_template(clinic_a, name="Reminder")
    assert refused.value.field == "name"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"body_text": "Hi {{ surname }}"}, "body_text", "{{ surname }}"),
        ({"body_text": "Hi {{ patient.email }}"}, "body_text", "{{ patient.email }}"),
        ({"body_text": "Hi {% if x %}"}, "body_text", "{%"),
        ({"body_text": "  "}, "body_text", "message text"),
        ({"name": ""}, "name", "name"),
        ({"channel": "fax"}, "channel", "SMS or email"),
        ({"kind": "promo"}, "kind", "service or marketing"),
        ({"subject": "Hello"}, "subject", "no subject"),
        ({"channel": "email"}, "subject", "subject"),
        (
            {"channel": "email", "subject": "Hi {{ nickname }}", "body_text": "x"},
            "subject",
            "{{ nickname }}",
        ),
        (
            {"channel": "email", "subject": "Hi", "body_html": "<script>alert(1)</script>"},
            "body_html",
            "<script",
        ),
        (
            {"channel": "email", "subject": "Hi", "body_html": '<img src=x onerror="x()">'},
            "body_html",
            "onerror",
        ),
        ({"kind": "marketing", "body_text": "Spring offers"}, "body_text", "STOP"),
        (
            {"kind": "marketing", "channel": "email", "subject": "Hi", "body_text": "Offers"},
            "body_text",
            "{{ unsubscribe_link }}",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    clinic_a: Any, fields: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        make_template(clinic_a, **fields)
    assert refused.value.field == field
    assert words in refused.value.detail
    with clinic_scope(clinic_a.clinic.pk):
        assert not MessageTemplate.objects.exists()


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_only_owners_and_managers_write_templates(clinic_a: Any, role: str) -> None:
    template = make_template(clinic_a)
    data = TemplateInput(name="Changed", channel="sms", kind="service", body_text="Hi")
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(PermissionDenied):
            template_update(caller=clinic_a.caller(role), template=template, data=data)
        with pytest.raises(PermissionDenied):
            template_delete(caller=clinic_a.caller(role), template=template)
        assert MessageTemplate.objects.get().name == "Reminder"


def test_a_manager_may_write_templates(clinic_a: Any) -> None:
    template = make_template(clinic_a)
    data = TemplateInput(name="Changed", channel="sms", kind="service", body_text="Hi")
    with clinic_scope(clinic_a.clinic.pk):
        template_update(caller=clinic_a.caller("manager"), template=template, data=data)
        assert MessageTemplate.objects.get().name == "Changed"


def test_newlines_from_a_browser_are_stored_as_line_feeds(clinic_a: Any) -> None:
    template = make_template(clinic_a, body_text="Hi {{ first_name }},\r\nSee you soon.\r\n")
    assert template.body_text == "Hi {{ first_name }},\nSee you soon."
