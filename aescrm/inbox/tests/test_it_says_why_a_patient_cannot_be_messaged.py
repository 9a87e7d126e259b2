"""Next to each channel: whether the patient can be sent a reply or marketing there, and if
not, why — opted out by STOP (and when), no consent, restricted, no number."""

from __future__ import annotations

import re

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.messaging import services as messaging
from aescrm.messaging.webhooks import handle_keyword
from aescrm.patients import services as patients
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _reach(page: str) -> dict[str, str]:
    """The "Can we message them?" panel as {channel: answer}."""
    panel = page.split('<dl class="reach">')[1].split("</dl>")[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", panel, re.S)
    return {dt: re.sub(r"<[^>]+>", "", dd).strip() for dt, dd in pairs}


def _page(world: ClinicWorld, patient: Patient, role: str = "receptionist") -> str:
    conversation = conversation_of(world, patient)
    return text(member_client(world, role).get(f"/inbox/{conversation.pk}/"))


def test_opted_out_by_stop_is_told_apart_and_replies_still_go(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a, consent={"sms": True})
    inbound(clinic_a, patient, "STOP")
    with clinic_scope(clinic_a.clinic.pk):
        handle_keyword(patient, "STOP")  # as the webhook does

    page = _page(clinic_a, patient)

    reach = _reach(page)
    assert reach["SMS"] == "Yes"
    assert re.fullmatch(
        r"No\. Opted out of marketing by replying STOP on \d{1,2} \w+ \d{4}\.",
        reach["SMS marketing"],
    )
    assert 'id="reply-channel-sms" value="sms" checked>' in page


def test_never_consented(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")

    reach = _reach(_page(clinic_a, patient))

    assert reach["SMS marketing"] == "No. No consent to marketing by SMS recorded."


def test_a_restricted_patient_cannot_be_replied_to_and_the_form_says_why(
    clinic_a: ClinicWorld,
) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")
    with clinic_scope(clinic_a.clinic.pk):
        patients.patient_update(
            caller=clinic_a.caller(), patient=patient, data=patients.PatientInput(restricted=True)
        )

    page = _page(clinic_a, patient)

    assert 'value="sms" disabled aria-describedby="reply-channel-sms-why">' in page
    assert (
        "<strong>Cannot send by SMS:</strong> This patient&#x27;s record is restricted: "
        "no messages are sent." in page
    )
    assert "This patient cannot be sent a reply on any channel." in page
    assert '<button type="submit" name="action" value="send" disabled>' in page
    listed = text(member_client(clinic_a, "receptionist").get("/inbox/"))
    assert "Cannot message: This patient&#x27;s record is restricted" in listed


def test_no_phone_number(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Ifor", email="ifor@example.org")
    with clinic_scope(clinic_a.clinic.pk):
        messaging.conversation_for(patient, "sms")

    reach = _reach(_page(clinic_a, patient))

    assert reach["SMS"] == "No. This patient has no phone number."
