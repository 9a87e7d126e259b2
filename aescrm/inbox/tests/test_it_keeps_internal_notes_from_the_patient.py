"""Internal notes sit in the thread for colleagues, encrypted at rest, and never reach Twilio."""

from __future__ import annotations

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.models import ConversationNote
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.messaging import worker
from aescrm.messaging.models import Message
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

NOTE = "Patient is nervous: offer the 9am slot with Dr Test"


def test_a_note_is_shown_as_internal_and_never_sent(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    no_quiet_hours(clinic_a)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Do you have anything tomorrow?")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")

    response = client.post(f"/inbox/{conversation.pk}/notes", {"body": NOTE})

    assert response.status_code == 302
    page = text(client.get(f"/inbox/{conversation.pk}/"))
    note_html = page.split('class="thread-item thread-note"')[1].split("</li>")[0]
    assert "Internal note — not sent" in note_html and NOTE in note_html
    assert "receptionist@alpha.test" in note_html
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic()
        assert Message.objects.count() == 1  # only the patient's text
        note = ConversationNote.objects.get()
        assert note.author_id == clinic_a.users["receptionist"].pk
    assert twilio_fake.requests == []
    with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
        cursor.execute("SELECT body FROM inbox_conversationnote")
        (stored,) = cursor.fetchone()
    assert stored and "nervous" not in str(stored)  # ciphertext at rest


def test_an_empty_note_is_refused(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")
    conversation = conversation_of(clinic_a, patient)

    response = member_client(clinic_a, "receptionist").post(
        f"/inbox/{conversation.pk}/notes", {"body": ""}
    )

    assert response.status_code == 422
    assert "Write the note before saving it." in text(response)


def test_marketers_neither_see_nor_write_notes(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")
    conversation = conversation_of(clinic_a, patient)
    member_client(clinic_a, "receptionist").post(f"/inbox/{conversation.pk}/notes", {"body": NOTE})
    marketer = member_client(clinic_a, "marketer")

    assert NOTE not in text(marketer.get(f"/inbox/{conversation.pk}/"))
    assert marketer.post(f"/inbox/{conversation.pk}/notes", {"body": "x"}).status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert ConversationNote.objects.count() == 1
