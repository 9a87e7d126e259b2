"""Every inbox URL that names an object of clinic A answers 404 to clinic B's members, and
changes nothing; clinic B's lists never show clinic A's conversations."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.models import BulkRecipient, BulkSend, CannedReply, ConversationNote
from aescrm.inbox.tests.support import conversation_of, fresh, inbound, texting_patient
from aescrm.messaging.models import Message
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects_of_a(clinic_a: ClinicWorld, console: None) -> dict[str, Any]:
    patient = texting_patient(clinic_a, first_name="Zebedee", consent={"sms": True})
    inbound(clinic_a, patient, "Secret question")
    conversation = conversation_of(clinic_a, patient)
    manager = member_client(clinic_a, "manager")
    manager.post("/inbox/canned/", {"title": "Hours", "channel": "any", "body": "9 to 5"})
    form = {
        "channel": "sms",
        "kind": "marketing",
        "body": "Offer. Reply STOP to opt out",
        "token": "7d1f6c63-93c5-4a50-9e6f-3d1b1b0c2e11",
    }
    manager.post("/inbox/bulk/confirm", form)
    with clinic_scope(clinic_a.clinic.pk):
        return {
            "conversation": conversation,
            "canned": CannedReply.objects.get(),
            "bulk": BulkSend.objects.get(),
        }


def _state(world: ClinicWorld, conversation: Any) -> tuple[Any, ...]:
    conversation = fresh(world, conversation)
    with clinic_scope(world.clinic.pk):
        return (
            conversation.assigned_to_id,
            conversation.unread_count,
            Message.objects.count(),
            ConversationNote.objects.count(),
            CannedReply.objects.get().title,
            BulkRecipient.objects.filter(message__isnull=False).count(),
        )


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/inbox/{c}/", {}),
        ("get", "/inbox/{c}/thread?v=x", {}),
        ("post", "/inbox/{c}/reply", {"channel": "sms", "body": "Hi", "action": "send"}),
        ("post", "/inbox/{c}/notes", {"body": "Note"}),
        ("post", "/inbox/{c}/assign", {"assignee": "me"}),
        ("post", "/inbox/{c}/unread", {}),
        ("get", "/inbox/canned/{r}/edit", {}),
        ("post", "/inbox/canned/{r}/edit", {"title": "Mine", "channel": "any", "body": "x"}),
        ("post", "/inbox/canned/{r}/delete", {}),
        ("get", "/inbox/bulk/{b}/", {}),
        ("get", "/inbox/bulk/{b}/progress?v=x", {}),
    ],
)
def test_each_url_is_404_for_another_clinic_and_changes_nothing(
    clinic_a: ClinicWorld,
    clinic_b: ClinicWorld,
    objects_of_a: dict[str, Any],
    method: str,
    path: str,
    data: dict[str, str],
) -> None:
    url = path.format(
        c=objects_of_a["conversation"].pk, r=objects_of_a["canned"].pk, b=objects_of_a["bulk"].pk
    )
    before = _state(clinic_a, objects_of_a["conversation"])

    response = getattr(member_client(clinic_b, "owner"), method)(url, data)

    assert response.status_code == 404
    assert "Secret question" not in text(response)
    assert _state(clinic_a, objects_of_a["conversation"]) == before


def test_clinic_bs_lists_show_nothing_of_clinic_a(
    clinic_b: ClinicWorld, objects_of_a: dict[str, Any]
) -> None:
    client = member_client(clinic_b, "owner")

    for url in ("/inbox/", "/inbox/updates?v=x", "/inbox/canned/", "/inbox/bulk/"):
        page = text(client.get(url))
        assert "Zebedee" not in page and "Hours" not in page, url
        assert str(objects_of_a["bulk"].pk) not in page, url


def test_confirming_clinic_as_token_in_clinic_b_makes_a_separate_send(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, objects_of_a: dict[str, Any]
) -> None:
    """Tokens are per clinic: B reusing A's token neither sees nor touches A's send."""
    texting_patient(clinic_b, consent={"sms": True})
    form = {
        "channel": "sms",
        "kind": "marketing",
        "body": "Offer. Reply STOP to opt out",
        "token": str(objects_of_a["bulk"].token),
    }

    response = member_client(clinic_b, "owner").post("/inbox/bulk/confirm", form)

    with clinic_scope(clinic_b.clinic.pk):
        mine = BulkSend.objects.get()
    assert response["Location"] == f"/inbox/bulk/{mine.pk}/"
    assert mine.pk != objects_of_a["bulk"].pk
