"""An email from a patient arrives by Postmark's webhook, shows in the inbox, and the
receptionist's reply goes back through Postmark in the same thread."""

from __future__ import annotations

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.inbox.tests.support import conversation_of
from aescrm.mail.tests import payloads
from aescrm.mail.tests.conftest import connect, login_of, post_hook
from aescrm.messaging import worker
from aescrm.messaging.models import Direction, Message
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_a_reply_by_email_goes_back_in_the_thread(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    no_quiet_hours(clinic_a)
    row = connect(clinic_a)
    patient = clinic_a.make_patient(first_name="Ffion", email="ffion@example.com")
    payload = payloads.inbound(sender="ffion@example.com", subject="Whitening price?")
    assert post_hook("/webhooks/postmark/inbound", payload, login_of(row)).status_code == 200
    conversation = conversation_of(clinic_a, patient, channel="email")
    client = member_client(clinic_a, "receptionist")
    page = text(client.get(f"/inbox/{conversation.pk}/"))
    assert payload["StrippedTextReply"] in page

    response = client.post(
        f"/inbox/{conversation.pk}/reply",
        {"channel": "email", "body": "Home whitening is £350.", "action": "send"},
    )
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        reply = Message.objects.get(direction=Direction.OUTBOUND)
        worker.process_clinic()
    assert (reply.channel, reply.conversation_id) == ("email", conversation.pk)
    (sent,) = postmark_fake.sent_to("ffion@example.com")
    assert sent["Subject"] == "Re: Whitening price?"
    assert "Home whitening is £350." in sent["TextBody"]
    # Threaded in the patient's mail client: it answers their message.
    assert postmark_fake.header(sent, "In-Reply-To") == "<CAE2abc123@mail.example.net>"
