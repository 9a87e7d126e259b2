"""Assign to me, to a colleague, or to nobody; each change audited; only this clinic's staff."""

from __future__ import annotations

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.support import conversation_of, fresh, inbound, texting_patient
from aescrm.messaging.models import Conversation
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(clinic_a: ClinicWorld) -> Conversation:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hello")
    return conversation_of(clinic_a, patient)


def test_to_me_then_a_colleague_then_nobody(
    clinic_a: ClinicWorld, conversation: Conversation
) -> None:
    client = member_client(clinic_a, "receptionist")
    url = f"/inbox/{conversation.pk}/assign"
    me, colleague = clinic_a.users["receptionist"], clinic_a.users["clinician"]

    client.post(url, {"assignee": "me"})
    assert fresh(clinic_a, conversation).assigned_to_id == me.pk
    client.post(url, {"assignee": str(colleague.pk)})
    assert fresh(clinic_a, conversation).assigned_to_id == colleague.pk
    page = text(client.get(f"/inbox/{conversation.pk}/"))
    assert "Assigned to clinician@alpha.test." in page
    client.post(url, {"assignee": ""})

    assert fresh(clinic_a, conversation).assigned_to_id is None
    with clinic_scope(clinic_a.clinic.pk):
        entries = AuditEntry.objects.filter(action="conversation.assign").order_by("occurred_at")
        assert [e.detail["assigned_to"] for e in entries] == [str(me.pk), str(colleague.pk), None]


def test_someone_from_another_clinic_cannot_be_given_it(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, conversation: Conversation
) -> None:
    client = member_client(clinic_a, "receptionist")
    outsider = clinic_b.users["receptionist"]

    response = client.post(
        f"/inbox/{conversation.pk}/assign",
        {"assignee": str(outsider.pk)},
        follow=True,
    )

    assert "No such colleague in this clinic." in text(response)
    assert fresh(clinic_a, conversation).assigned_to_id is None


def test_a_marketer_cannot_assign(clinic_a: ClinicWorld, conversation: Conversation) -> None:
    response = member_client(clinic_a, "marketer").post(
        f"/inbox/{conversation.pk}/assign",
        {"assignee": "me"},
    )

    assert response.status_code == 403
    assert fresh(clinic_a, conversation).assigned_to_id is None
