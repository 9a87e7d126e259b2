"""After erasure the person cannot be found by any search and nothing of theirs is left
(messages on every channel, chats, attribution, notes, consents), apart from the paid
appointment kept with no personal data; another patient's records do not change."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import Visit, stock
from aescrm.attribution.models import ConversionEvent, Touch
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.models import Erasure, Suppression
from aescrm.erasure.services import erase_patient
from aescrm.erasure.tests.support import EMAIL, PHONE, full_patient
from aescrm.mail.models import EmailDetail
from aescrm.messaging.models import Conversation, Message
from aescrm.patients import search, selectors
from aescrm.patients.models import (
    Appointment,
    ConsentEvent,
    Enquiry,
    Patient,
    PatientNote,
    PatientSearchToken,
)
from aescrm.public.services import find_patient
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db

MODELS = (
    Message,
    EmailDetail,
    Conversation,
    Touch,
    ConversionEvent,
    Enquiry,
    PatientNote,
    ConsentEvent,
    PatientSearchToken,
    ChatSession,
    ChatTurn,
)


def _rows_of(patient_id: Any) -> dict[str, int]:
    return {
        "messages": Message.objects.filter(patient_id=patient_id).count(),
        "email": EmailDetail.objects.filter(message__patient_id=patient_id).count(),
        "conversations": Conversation.objects.filter(patient_id=patient_id).count(),
        "touches": Touch.objects.filter(patient_id=patient_id).count(),
        "conversions": ConversionEvent.objects.filter(patient_id=patient_id).count(),
        "enquiries": Enquiry.objects.filter(patient_id=patient_id).count(),
        "notes": PatientNote.objects.filter(patient_id=patient_id).count(),
        "consents": ConsentEvent.objects.filter(patient_id=patient_id).count(),
        "tokens": PatientSearchToken.objects.filter(patient_id=patient_id).count(),
        "chats": ChatSession.objects.filter(patient_id=patient_id).count(),
    }


def test_nothing_of_the_person_is_left_and_no_one_else_changes(
    clinic_a: ClinicWorld, console: None
) -> None:
    # Given Gwen with records on every channel, a chat, and Jane (who chatted) beside her
    gwen = full_patient(clinic_a)
    other = full_patient(
        clinic_a, first="Rhian", email="rhian@example.org", phone="07700900888", hour=14
    )
    stock(clinic_a.clinic)
    chat = Visit(clinic_a.clinic)
    for line in ("Can someone call me back?", "Jane Smith", "07911 123456"):
        chat.say(line)
    with clinic_scope(clinic_a.clinic.pk):
        jane = Patient.objects.get(phone_bidx=find_patient("", "+447911123456").phone_bidx)  # type: ignore[union-attr]
        before_gwen = _rows_of(gwen.patient.pk)
        before_other = _rows_of(other.patient.pk)
        before_jane = _rows_of(jane.pk)
    assert all(before_gwen[k] for k in ("messages", "email", "touches", "notes", "tokens"))
    assert before_jane["chats"] == 1

    # When Gwen and Jane are erased
    with clinic_scope(clinic_a.clinic.pk):
        erasure = erase_patient(gwen.patient, by=clinic_a.caller("manager"), reason="asked")
        erase_patient(jane, by=clinic_a.caller("owner"), reason="consent_withdrawn")

        # Then no search finds them
        caller = clinic_a.caller("owner")
        for query in ("Gwen", "Morgan", "gwen.morgan", "07700 900777", "Jane", "07911"):
            found = selectors.patient_list(caller=caller, search_query=query).patients
            assert [p.first_name for p in found] in ([], ["Rhian"]), query
        listed = {p.pk for p in selectors.patient_list(caller=caller, limit=100).patients}
        assert gwen.patient.pk not in listed and jane.pk not in listed
        assert find_patient(EMAIL, "") is None and find_patient("", PHONE) is None
        assert find_patient("", "+447911123456") is None
        assert list(search.candidate_ids(clinic_a.clinic.pk, "gwen") or []) == []

        # nothing of theirs is left on any channel, in chats or in attribution
        assert _rows_of(gwen.patient.pk) == dict.fromkeys(before_gwen, 0)
        assert _rows_of(jane.pk) == dict.fromkeys(before_jane, 0)
        assert not ChatTurn.objects.filter(session__patient_id=jane.pk).exists()
        assert not Patient.objects.filter(pk=jane.pk).exists()  # nothing had to be kept

        # the paid treatment stays, with no personal data, on an empty record
        kept = Appointment.objects.get(patient_id=gwen.patient.pk)
        assert kept.pk == gwen.paid.pk and kept.value_pence == 25000
        assert kept.cancellation_reason is None
        assert not Appointment.objects.filter(pk=gwen.upcoming.pk).exists()
        tombstone = Patient.objects.get(pk=gwen.patient.pk)
        assert (tombstone.first_name, tombstone.last_name, tombstone.email, tombstone.phone) == (
            None,
            None,
            None,
            None,
        )
        assert (tombstone.notes, tombstone.email_bidx, tombstone.phone_bidx) == (None, None, None)
        assert tombstone.restricted and not tombstone.consent_sms

        # and Rhian's records are as they were
        assert _rows_of(other.patient.pk) == before_other
        rhian = Patient.objects.get(pk=other.patient.pk)
        assert (rhian.first_name, rhian.email, rhian.notes) == (
            "Rhian",
            "rhian@example.org",
            "Allergic to latex",
        )
        assert Appointment.objects.filter(patient=rhian).count() == 2

        # The erasure is recorded and audited with counts, and no values
        assert erasure.tombstone and erasure.kept == {"appointments": 1, "profile": 1}
        assert erasure.removed["messages"] == before_gwen["messages"] + before_gwen["email"]
        assert erasure.removed["appointments"] == 1 and erasure.removed["notes"] == 1
        entry = AuditEntry.objects.get(
            action="privacy.erasure.completed", object_id=gwen.patient.pk
        )
        assert entry.detail["reason"] == "asked"
        assert entry.detail["removed"] == erasure.removed
        assert entry.detail["suppressed"] == ["email", "phone"]
        assert "gwen" not in str(entry.detail).lower() and "900777" not in str(entry.detail)
        assert Erasure.objects.count() == 2
        assert Suppression.objects.filter(erasure=erasure).count() == 2
