"""Texts from a number the clinic does not know, arriving at the same moment: one lead.

Real concurrency: webhooks signed as Twilio signs them, posted by several
threads at once to a live server (a thread per request, a database connection
each), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from twilio.request_validator import RequestValidator

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Direction, Message
from aescrm.messaging.tests.conftest import PUBLIC
from aescrm.messaging.tests.senders import connect_all_day
from aescrm.patients.models import Enquiry, Patient
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fixtures import ClinicWorld

AT_ONCE = 4
SENDER = "+447700900701"
PATH = "/webhooks/twilio/sms"


def _signed(params: dict[str, str]) -> dict[str, str]:
    signature = RequestValidator(fake_twilio.AUTH_TOKEN).compute_signature(PUBLIC + PATH, params)
    return {"X-Twilio-Signature": signature}


def test_simultaneous_texts_from_an_unknown_number_make_one_lead(
    transactional_db: None,
    live_server: Any,
    allow_audit_flush: None,
    settings: Any,
    clinic_a: ClinicWorld,
) -> None:
    settings.PUBLIC_BASE_URL = PUBLIC
    connect_all_day(clinic_a)
    start_line = threading.Barrier(AT_ONCE)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def text(n: int) -> None:
        params = {
            "MessageSid": f"SM{n:032d}",
            "AccountSid": fake_twilio.ACCOUNT_SID,
            "From": SENDER,
            "To": fake_twilio.NUMBER,
            "Body": f"Hi, do you do whitening? ({n})",
            "NumMedia": "0",
        }
        try:
            start_line.wait(timeout=10)
            response = requests.post(
                live_server.url + PATH, data=params, headers=_signed(params), timeout=30
            )
            statuses.append(response.status_code)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=text, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [200] * AT_ONCE
    with clinic_scope(clinic_a.clinic.pk):
        leads = list(Patient.objects.all())
        # The clinic's own test patients have no phone; the texter is the only one with it.
        texters = [p for p in leads if p.phone == SENDER]
        assert len(texters) == 1
        (lead,) = texters
        assert lead.stage == "lead"
        assert Enquiry.objects.filter(patient=lead, channel="sms").count() == 1
        inbound = Message.objects.filter(direction=Direction.INBOUND)
        assert inbound.count() == AT_ONCE
        assert set(inbound.values_list("patient_id", flat=True)) == {lead.pk}
