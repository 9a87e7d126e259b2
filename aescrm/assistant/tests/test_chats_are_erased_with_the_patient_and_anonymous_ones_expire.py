"""Chats follow the patient's record: erased with it, exported with it; anonymous ones expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.retention import chats_for_export, purge_anonymous_chats
from aescrm.assistant.tasks import purge_chats
from aescrm.assistant.tests.support import Visit, stock
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Patient

pytestmark = pytest.mark.django_db


def _captured_chat(clinic: Any) -> Visit:
    visit = Visit(clinic)
    visit.say("Can someone call me back?")
    visit.say("Jane Smith")
    visit.say("07911 123456")
    return visit


def test_erasing_the_patient_erases_their_chats(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    _captured_chat(clinic_a.clinic)
    other = Visit(clinic_a.clinic)
    other.say("is there parking?")
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get()
        assert ChatSession.objects.get(patient=patient).turn_count == 6
        services.patient_delete(caller=clinic_a.caller(), patient=patient)
        assert ChatSession.objects.count() == 1  # the anonymous visitor's chat
        assert ChatTurn.objects.count() == 2


def test_the_export_holds_every_turn_with_its_guardrail_decisions(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    _captured_chat(clinic_a.clinic)
    with clinic_scope(clinic_a.clinic.pk):
        exported = chats_for_export(Patient.objects.get())
    assert len(exported) == 1
    turns = exported[0]["turns"]
    assert [t["speaker"] for t in turns] == ["visitor", "assistant"] * 3
    assert turns[0]["text"] == "Can someone call me back?"
    assert {g["check"] for g in turns[0]["guardrails"]} >= {"emergency", "medical"}
    assert turns[1]["engine"] == "embedded"


def test_anonymous_chats_are_deleted_after_their_retention(
    clinic_a: Any, clinic_b: Any, settings: Any
) -> None:
    settings.CHAT_ANONYMOUS_RETENTION_DAYS = 30
    for world in (clinic_a, clinic_b):
        stock(world.clinic)
        Visit(world.clinic).say("is there parking?")
    _captured_chat(clinic_a.clinic)
    later = timezone.now() + dt.timedelta(days=31)
    with clinic_scope(clinic_a.clinic.pk):
        assert purge_anonymous_chats(now=timezone.now()) == 0
        assert purge_anonymous_chats(now=later) == 1
        # The captured chat stays with its patient's record.
        assert list(ChatSession.objects.values_list("patient_id", flat=True)) != [None]
        assert ChatSession.objects.count() == 1
        assert AuditEntry.objects.filter(action="chat.retention.delete").exists()
    with clinic_scope(clinic_b.clinic.pk):
        assert ChatSession.objects.count() == 1


def test_the_nightly_task_visits_every_clinic(clinic_a: Any, clinic_b: Any, settings: Any) -> None:
    settings.CHAT_ANONYMOUS_RETENTION_DAYS = 0
    for world in (clinic_a, clinic_b):
        stock(world.clinic)
        Visit(world.clinic).say("hello")
    assert purge_chats.call_local() == 2
    for world in (clinic_a, clinic_b):
        with clinic_scope(world.clinic.pk):
            assert not ChatSession.objects.exists()
