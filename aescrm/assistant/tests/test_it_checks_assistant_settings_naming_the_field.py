"""Assistant settings: each refusal names its field, on the page too; good values are tidied
(phone in E.164, colour in lower case) and the change is audited by field name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from aescrm.assistant.knowledge import SettingsInput, settings_get, settings_update
from aescrm.assistant.models import AssistantSettings
from aescrm.audit.models import AuditEntry
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db
URL = "/settings/assistant"
GOOD = SettingsInput(
    assistant_name="Harbour helper",
    colour="#0F5C6E",
    privacy_notice_url="https://alpha.example/privacy",
    urgent_phone="020 7946 0018",
    llm_base_url="https://llm.example.com/v1",
)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "teal"}, "colour"),
        ({"colour": "#0f5c6"}, "colour"),
        ({"privacy_notice_url": "http://alpha.example/privacy"}, "privacy_notice_url"),
        ({"privacy_notice_url": "javascript:alert(1)"}, "privacy_notice_url"),
        ({"llm_base_url": "ftp://llm.example.com"}, "llm_base_url"),
        ({"llm_base_url": "https://"}, "llm_base_url"),
        ({"urgent_phone": "call us"}, "urgent_phone"),
        ({"assistant_name": "  "}, "assistant_name"),
        ({"assistant_name": "x" * 61}, "assistant_name"),
        ({"greeting": "Hello\x00"}, "greeting"),
        ({"engine": "magic"}, "engine"),
        ({"booking_mode": "maybe"}, "booking_mode"),
    ],
)
def test_each_refusal_names_its_field(clinic_a: Any, change: dict[str, Any], field: str) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as refused:
            settings_update(caller=clinic_a.caller(), data=replace(GOOD, **change))
        assert refused.value.field == field
        assert settings_get(caller=clinic_a.caller()).colour == "#0f5c6e"


def test_good_values_are_tidied_and_the_change_audited(clinic_a: Any) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        changed = settings_update(caller=clinic_a.caller(), data=GOOD)
        row = AssistantSettings.objects.get()
        entry = AuditEntry.objects.get(action="assistant.settings.update")

    assert (row.colour, row.urgent_phone) == ("#0f5c6e", "+442079460018")
    assert row.privacy_notice_url == "https://alpha.example/privacy"
    assert set(changed) == {
        "assistant_name",
        "privacy_notice_url",
        "urgent_phone",
        "llm_base_url",
    }
    assert sorted(entry.detail["fields"]) == sorted(changed)


def test_a_local_privacy_notice_is_allowed_for_development(clinic_a: Any) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        settings_update(
            caller=clinic_a.caller(),
            data=replace(GOOD, privacy_notice_url="http://localhost:8000/privacy"),
        )
        assert AssistantSettings.objects.get().privacy_notice_url == (
            "http://localhost:8000/privacy"
        )


def test_the_page_shows_the_problem_next_to_the_field(clinic_a: Any) -> None:
    manager = member_client(clinic_a, "manager")
    form = {
        "enabled": "on",
        "assistant_name": "Helper",
        "colour": "#0f5c6e",
        "privacy_notice_url": "http://alpha.example/privacy",
        "booking_mode": "book",
        "engine": "embedded",
    }

    response = manager.post(URL, form)

    page = text(response)
    assert response.status_code == 422
    assert 'id="id_privacy_notice_url_error"' in page
    assert "Enter an address starting with https://" in page
    field = page.split('name="privacy_notice_url"')[1].split(">")[0]
    assert 'aria-invalid="true"' in field
    with clinic_scope(clinic_a.clinic.pk):
        assert AssistantSettings.objects.get().privacy_notice_url == ""

    form["privacy_notice_url"] = "https://alpha.example/privacy"
    saved = manager.post(URL, form, follow=True)
    assert "Assistant settings saved." in text(saved)
    with clinic_scope(clinic_a.clinic.pk):
        assert AssistantSettings.objects.get().privacy_notice_url == (
            "https://alpha.example/privacy"
        )
