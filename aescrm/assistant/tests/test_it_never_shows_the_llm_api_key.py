"""The language model's API key is write-only: saved, kept when the field is left empty,
removed by its checkbox, and never rendered into a page or written to the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import AssistantSettings
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db
URL = "/settings/assistant"
SECRET = "sk-test-Zq8v2LmN4pR7tY1w"


def _form(**extra: str) -> dict[str, str]:
    return {
        "enabled": "on",
        "assistant_name": "Helper",
        "colour": "#0f5c6e",
        "booking_mode": "book",
        "engine": "llm",
        "llm_base_url": "https://llm.example.com/v1",
        "llm_model": "small-model",
        **extra,
    }


def _stored(world: Any) -> str:
    with clinic_scope(world.clinic.pk):
        return AssistantSettings.objects.get().llm_api_key or ""


def test_the_key_is_saved_kept_and_cleared_but_never_shown(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")

    saved = owner.post(URL, _form(llm_api_key=SECRET), follow=True)
    assert "Assistant settings saved." in text(saved)
    assert _stored(clinic_a) == SECRET
    for role in ("owner", "manager", "receptionist", "marketer"):
        page = text(member_client(clinic_a, role).get(URL))
        assert SECRET not in page
        assert "An API key is stored." in page

    # Leaving the field empty keeps the key
    owner.post(URL, _form(llm_model="bigger-model"))
    assert _stored(clinic_a) == SECRET

    # A refused save does not echo the key back either
    refused = owner.post(URL, _form(llm_api_key="sk-new-key-9f8e7d", colour="teal"))
    assert refused.status_code == 422
    assert "sk-new-key-9f8e7d" not in text(refused)
    assert _stored(clinic_a) == SECRET

    # The checkbox removes it
    owner.post(URL, _form(clear_llm_api_key="on"))
    assert _stored(clinic_a) == ""
    assert "No API key is stored." in text(owner.get(URL))

    with clinic_scope(clinic_a.clinic.pk):
        details = [e.detail for e in AuditEntry.objects.filter(action="assistant.settings.update")]
    assert all(SECRET not in str(d) for d in details)
    assert sum("llm_api_key" in d["fields"] for d in details) == 2
