"""Managers keep canned replies; anyone replying inserts one (with the patient's name filled in),
with JavaScript at the cursor or without it by the server; inserting sends nothing."""

from __future__ import annotations

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.models import CannedReply
from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.messaging.models import Direction, Message
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

DIRECTIONS = {
    "title": "Directions",
    "channel": "any",
    "body": "Hi {{ first_name }}, we are above the pharmacy on High Street. {{ clinic_name }}",
}


def _canned(world: ClinicWorld) -> CannedReply:
    response = member_client(world, "manager").post("/inbox/canned/", DIRECTIONS)
    assert response.status_code == 302 and response["Location"] == "/inbox/canned/"
    with clinic_scope(world.clinic.pk):
        return CannedReply.objects.get()


def test_a_manager_adds_edits_and_deletes_one(clinic_a: ClinicWorld) -> None:
    reply = _canned(clinic_a)
    client = member_client(clinic_a, "manager")
    assert "above the pharmacy" in text(client.get("/inbox/canned/"))

    client.post(f"/inbox/canned/{reply.pk}/edit", {**DIRECTIONS, "title": "Finding us"})
    with clinic_scope(clinic_a.clinic.pk):
        assert CannedReply.objects.get().title == "Finding us"
    client.post(f"/inbox/canned/{reply.pk}/delete")

    with clinic_scope(clinic_a.clinic.pk):
        assert not CannedReply.objects.exists()
        actions = list(
            AuditEntry.objects.filter(object_type="canned_reply")
            .order_by("occurred_at")
            .values_list("action", flat=True)
        )
    assert actions == ["canned_reply.create", "canned_reply.update", "canned_reply.delete"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"body": "See you {{ appointment_time }}"}, "can fill in only {{ first_name }}"),
        ({"body": "Hi {{ surname }}"}, "Unknown merge field {{ surname }}"),
    ],
)
def test_bad_replies_are_refused_naming_the_problem(
    clinic_a: ClinicWorld, change: dict[str, str], error: str
) -> None:
    response = member_client(clinic_a, "manager").post("/inbox/canned/", {**DIRECTIONS, **change})

    assert response.status_code == 422
    assert error in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not CannedReply.objects.exists()


def test_the_same_title_twice_is_refused(clinic_a: ClinicWorld) -> None:
    _canned(clinic_a)
    response = member_client(clinic_a, "manager").post("/inbox/canned/", DIRECTIONS)

    assert response.status_code == 422
    assert "There is already a canned reply with this title" in text(response)


def test_receptionists_use_them_but_do_not_manage_them(clinic_a: ClinicWorld) -> None:
    reply = _canned(clinic_a)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Where are you?")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")

    page = text(client.get(f"/inbox/{conversation.pk}/"))

    assert (
        f'<option value="{reply.pk}" data-text="Hi Olwen, we are above the pharmacy on High '
        f'Street. Alpha Dental">Directions</option>'
    ) in page
    assert client.get("/inbox/canned/").status_code == 403
    assert client.post(f"/inbox/canned/{reply.pk}/delete").status_code == 403


def test_without_javascript_insert_puts_it_after_the_typed_text_and_sends_nothing(
    clinic_a: ClinicWorld,
) -> None:
    reply = _canned(clinic_a)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Where are you?")
    conversation = conversation_of(clinic_a, patient)

    response = member_client(clinic_a, "receptionist").post(
        f"/inbox/{conversation.pk}/reply",
        {
            "channel": "sms",
            "body": "Thanks for asking!",
            "canned": str(reply.pk),
            "action": "insert",
        },
    )

    assert response.status_code == 200
    assert (
        "Thanks for asking!\nHi Olwen, we are above the pharmacy on High Street. Alpha Dental"
        "</textarea>"
    ) in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not Message.objects.filter(direction=Direction.OUTBOUND).exists()
