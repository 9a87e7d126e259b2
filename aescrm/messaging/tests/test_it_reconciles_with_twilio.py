"""Asking Twilio whether an attempt went (reconcile): which of its messages count as ours."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from django.utils import timezone

from aescrm.messaging import twilio
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

TO = "+447700900500"


def _post(fake: FakeTwilio, body: str, *, to: str = TO, sender: str = fake_twilio.NUMBER) -> str:
    """Another client of the same Twilio account sending a text."""
    response = requests.post(
        f"{fake.api_base}/2010-04-01/Accounts/{fake_twilio.ACCOUNT_SID}/Messages.json",
        data={"To": to, "From": sender, "Body": body},
        auth=(fake_twilio.ACCOUNT_SID, fake_twilio.AUTH_TOKEN),
        timeout=5,
    )
    assert response.status_code == 201
    return str(response.json()["sid"])


def _find(row: Any, body: str, since: dt.datetime, exclude: set[str] | None = None) -> Any:
    return twilio.find_sent(row, to=TO, body=body, since=since, exclude=exclude or set())


def test_a_text_still_in_twilios_queue_is_found(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    """Queued at Twilio (no date_sent yet): a DateSent filter would miss it and resend."""
    row = connect(clinic_a)
    twilio_fake.queue_seconds = None
    sid = _post(twilio_fake, "See you at 10:00")
    found = _find(row, "See you at 10:00", timezone.now() - dt.timedelta(minutes=1))
    assert found == twilio.Sent(sid=sid, status="queued")
    (listing,) = [r for r in twilio_fake.requests if r.method == "GET"]
    assert "DateSent>" not in listing.query
    assert listing.query["To"] == [TO]
    assert listing.query["From"] == [fake_twilio.NUMBER]


def test_only_our_sender_this_body_this_window_and_unrecorded(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    row = connect(clinic_a)
    recorded = _post(twilio_fake, "See you at 10:00")
    _post(twilio_fake, "See you at 11:00")
    _post(twilio_fake, "See you at 10:00", sender="+447700900999")
    _post(twilio_fake, "See you at 10:00", to="+447700900501")
    since = timezone.now() - dt.timedelta(minutes=1)
    assert _find(row, "See you at 10:00", since, {recorded}) is None
    assert _find(row, "See you at 10:00", timezone.now() + dt.timedelta(minutes=1)) is None
    ours = _post(twilio_fake, "See you at 10:00")
    assert _find(row, "See you at 10:00", since, {recorded}) == twilio.Sent(ours, "sent")


def test_it_reads_every_page(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    row = connect(clinic_a)
    wanted = _post(twilio_fake, "The first text")
    for n in range(1200):
        twilio_fake.messages.append(
            {**twilio_fake.messages[0], "sid": f"SMfiller{n:024d}", "body": f"Filler {n}"}
        )
    found = _find(row, "The first text", timezone.now() - dt.timedelta(minutes=1))
    assert found is not None and found.sid == wanted
    assert len([r for r in twilio_fake.requests if r.method == "GET"]) == 2
