"""Opening a conversation marks its inbound messages read (an audited read of their text);
"Mark as unread" puts it back on the unread list."""

from __future__ import annotations

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.support import conversation_of, fresh, inbound, texting_patient
from aescrm.messaging.models import Status
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_opening_marks_the_inbound_messages_read(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    first = inbound(clinic_a, patient, "Hello?")
    second = inbound(clinic_a, patient, "Are you open on Saturday?")
    conversation = conversation_of(clinic_a, patient)
    assert conversation.unread_count == 2
    client = member_client(clinic_a, "receptionist")

    page = text(client.get(f"/inbox/{conversation.pk}/"))

    assert "Are you open on Saturday?" in page
    assert fresh(clinic_a, conversation).unread_count == 0
    for message in (fresh(clinic_a, first), fresh(clinic_a, second)):
        assert message.status == Status.READ and message.read_at is not None
    assert "1 unread" not in text(client.get("/inbox/"))
    with clinic_scope(clinic_a.clinic.pk):
        read = AuditEntry.objects.get(action="conversation.read", object_id=str(conversation.pk))
        marked = AuditEntry.objects.get(action="conversation.mark_read")
    assert read.detail == {
        "patient": str(patient.pk),
        "messages": 2,
        "notes": 0,
        "bodies": True,
    }
    assert read.actor_label == clinic_a.users["receptionist"].email
    assert marked.detail == {"messages": 2}


def test_a_marketer_opening_it_reads_nothing_and_marks_nothing(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "My gums bleed")
    conversation = conversation_of(clinic_a, patient)

    page = text(member_client(clinic_a, "marketer").get(f"/inbox/{conversation.pk}/"))

    assert "Olwen Pryce" in page and "My gums bleed" not in page
    assert "Message text hidden for your role." in page
    assert "Send reply" not in page and "Mark as unread" not in page
    assert fresh(clinic_a, conversation).unread_count == 1


def test_mark_as_unread_puts_the_newest_message_back(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "First")
    newest = inbound(clinic_a, patient, "Second")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")
    client.get(f"/inbox/{conversation.pk}/")

    response = client.post(f"/inbox/{conversation.pk}/unread")

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert fresh(clinic_a, conversation).unread_count == 1
    newest = fresh(clinic_a, newest)
    assert newest.status == Status.RECEIVED and newest.read_at is None
    assert "Olwen Pryce" in text(client.get("/inbox/?unread=on"))
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="conversation.mark_unread").count() == 1
