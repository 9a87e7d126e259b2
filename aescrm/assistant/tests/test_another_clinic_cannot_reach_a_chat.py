"""A session token of one clinic opens nothing at another clinic's endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import say, stock
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


def test_clinic_b_cannot_read_or_continue_clinic_a_s_chat(clinic_a: Any, clinic_b: Any) -> None:
    stock(clinic_a.clinic)
    stock(clinic_b.clinic)
    token = say(clinic_a.clinic, "hello, my name is Jane Doe").json()["session_id"]

    poll = Client().get(
        f"/public/v1/{clinic_b.clinic.public_key}/chat/{token}/messages?after=0",
        HTTP_ORIGIN="https://bravo.example",
    )
    assert poll.status_code == 404

    answer = say(clinic_b.clinic, "what did I say?", token, origin="https://bravo.example").json()
    assert answer["session_id"] != token
    assert "Jane" not in answer["reply"]
    with clinic_scope(clinic_a.clinic.pk):
        assert ChatTurn.objects.count() == 2
        assert ChatSession.objects.get().turn_count == 2
    with clinic_scope(clinic_b.clinic.pk):
        assert ChatSession.objects.count() == 1
