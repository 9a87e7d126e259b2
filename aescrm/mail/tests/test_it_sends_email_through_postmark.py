"""The email adapter against a fake Postmark over HTTP: fields, bodies, unsubscribe header,
retries, permanent failures, and no double sends after a crash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.mail import postmark, provider
from aescrm.mail.models import EmailDetail, Suppression
from aescrm.mail.tests.conftest import INBOUND, PUBLIC, SENDER, connect
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.testing.fakes import postmark as fake_postmark
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 30, tzinfo=dt.UTC)


def _queue(
    world: ClinicWorld,
    email: str,
    body: str = "See you at 10:00.\nBring your glasses.",
    kind: str = "service",
    now: dt.datetime = NOON,
    **extra: Any,
) -> Message:
    consent = {"email": True} if kind == "marketing" else None
    patient = world.make_patient(email=email, consent=consent)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(),
            patient=patient,
            body=body,
            kind=kind,
            channel="email",
            now=now,
            **extra,
        )


def _run(world: ClinicWorld, now: dt.datetime = NOON) -> int:
    with clinic_scope(world.clinic.pk):
        return worker.process_clinic(now=now)


def _get(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)


def test_it_posts_the_documented_fields(clinic_a: ClinicWorld, postmark_fake: FakePostmark) -> None:
    connect(clinic_a, sender_name="Alpha Dental Reception")
    message = _queue(clinic_a, "jane@example.com", subject="Your visit on Friday")
    assert _run(clinic_a) == 1
    (request,) = [r for r in postmark_fake.requests if r.method == "POST"]
    assert request.path == "/email"
    assert request.headers["x-postmark-server-token"] == fake_postmark.SERVER_TOKEN
    sent = request.json
    message = _get(clinic_a, message)
    with clinic_scope(clinic_a.clinic.pk):
        token = message.conversation.reply_address.token
        detail = EmailDetail.objects.get(message=message)
    assert sent["From"] == f"Alpha Dental Reception <{SENDER}>"
    assert sent["To"] == "jane@example.com"
    assert sent["Subject"] == "Your visit on Friday"
    assert sent["ReplyTo"] == f"4f1a2b3c+{token}@inbound.postmarkapp.com"
    assert sent["MessageStream"] == "outbound"
    assert sent["Tag"] == "service"
    assert sent["TextBody"].startswith("See you at 10:00.\nBring your glasses.\n")
    assert "Alpha Dental" in sent["TextBody"]
    assert "<p>See you at 10:00.<br>Bring your glasses.</p>" in sent["HtmlBody"]
    assert sent["Metadata"] == {
        postmark.META_MESSAGE: str(message.pk),
        postmark.META_ATTEMPT: message.attempt_key,
    }
    assert postmark_fake.header(sent, "Message-ID") == detail.header_id
    assert detail.header_id == f"<{message.pk.hex}@alphadental.example>"
    # Service email carries no unsubscribe header.
    assert postmark_fake.header(sent, "List-Unsubscribe") is None
    assert (message.status, message.provider, message.attempts) == (Status.SENT, "postmark", 1)
    assert message.provider_id == postmark_fake.messages[0]["MessageID"]
    assert message.sent_at == NOON
    assert INBOUND.endswith("@inbound.postmarkapp.com")


def test_the_html_body_escapes_what_was_typed(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    _queue(clinic_a, "esc@example.com", body='Fees < £50 & "free" <script>alert(1)</script>')
    _run(clinic_a)
    sent = postmark_fake.messages[0]
    assert "<script>" not in sent["HtmlBody"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sent["HtmlBody"]
    assert "Fees &lt; £50 &amp; &quot;free&quot;" in sent["HtmlBody"]
    assert 'Fees < £50 & "free" <script>alert(1)</script>' in sent["TextBody"]


def test_marketing_email_has_one_click_unsubscribe(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a, broadcast_stream="broadcast")
    message = _queue(
        clinic_a, "offers@example.com", body="Winter whitening offer", kind="marketing"
    )
    _run(clinic_a)
    sent = postmark_fake.messages[0]
    link = postmark_fake.header(sent, "List-Unsubscribe")
    assert link is not None and link.startswith(f"<{PUBLIC}/u/") and link.endswith(">")
    assert postmark_fake.header(sent, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert link[1:-1] in sent["TextBody"]
    assert link[1:-1] in sent["HtmlBody"]
    assert sent["MessageStream"] == "broadcast"
    assert sent["Tag"] == "marketing"
    assert _get(clinic_a, message).status == Status.SENT


def test_transient_failures_retry_with_backoff(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    message = _queue(clinic_a, "retry@example.com")
    postmark_fake.fail_next = [503, (429, 0)]
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert "Postmark 503" in message.error_reason
    assert message.next_attempt_at == NOON + dt.timedelta(seconds=60)
    _run(clinic_a, NOON + dt.timedelta(seconds=60))
    message = _get(clinic_a, message)
    assert (message.status, message.attempts) == (Status.SENDING, 2)
    _run(clinic_a, NOON + dt.timedelta(seconds=180))
    message = _get(clinic_a, message)
    assert (message.status, message.attempts, message.error_code) == (Status.SENT, 3, "")
    assert len(postmark_fake.messages) == 1


def test_permanent_failures_fail_with_the_reason(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    postmark_fake.inactive.add("gone@example.com")
    postmark_fake.invalid.add("bad@example.com")
    gone = _queue(clinic_a, "gone@example.com")
    bad = _queue(clinic_a, "bad@example.com")
    _run(clinic_a)
    gone, bad = _get(clinic_a, gone), _get(clinic_a, bad)
    assert (gone.status, gone.error_code) == (Status.FAILED, "406")
    assert "inactive at Postmark" in gone.error_reason
    assert (bad.status, bad.error_code) == (Status.FAILED, "300")
    assert postmark_fake.messages == []
    assert _run(clinic_a, NOON + dt.timedelta(hours=1)) == 0
    with clinic_scope(clinic_a.clinic.pk):
        # Postmark's inactive address is suppressed here too.
        assert Suppression.objects.get().reason == "inactive"


def test_a_crash_after_the_call_is_reconciled_not_sent_twice(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    """The worker marked the attempt and Postmark took the email, then the worker died."""
    row = connect(clinic_a)
    message = _queue(clinic_a, "crash@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        postmark.send(row, provider.outgoing(claimed, row))
        # … no database update. Nothing happens until the lease runs out.
        assert worker.process_clinic(now=NOON + dt.timedelta(minutes=1)) == 0
        worker.process_clinic(now=NOON + worker.LEASE + dt.timedelta(seconds=1))
        message = Message.objects.get(pk=message.pk)
    assert len(postmark_fake.messages) == 1
    searches = [r for r in postmark_fake.requests if r.path == "/messages/outbound"]
    assert searches[0].query[f"metadata_{postmark.META_ATTEMPT}"] == [message.attempt_key]
    assert searches[0].query["recipient"] == ["crash@example.com"]
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert message.provider_id == postmark_fake.messages[0]["MessageID"]


def test_a_crash_before_the_call_sends_once(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    message = _queue(clinic_a, "early@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        worker.process_clinic(now=NOON + worker.LEASE + dt.timedelta(seconds=1))
        message = Message.objects.get(pk=message.pk)
    assert len(postmark_fake.messages) == 1
    assert (message.status, message.attempts) == (Status.SENT, 2)


def test_console_mode_records_without_calling(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark, settings: Any
) -> None:
    settings.MESSAGING_MODE = "console"
    message = _queue(clinic_a, "console@example.com")
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.provider) == (Status.SENT, "console")
    assert postmark_fake.requests == []


def test_unconfigured_clinic_fails_clearly(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    message = _queue(clinic_a, "nobody@example.com")
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.error_code) == (Status.FAILED, "not_configured")
    assert "Postmark" in message.error_reason


def test_each_clinic_sends_with_its_own_token(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    connect(clinic_b, server_token="clinic-b-token-not-known-to-postmark")
    a = _queue(clinic_a, "a@example.com")
    b = _queue(clinic_b, "b@example.com")
    worker.process_all(now=NOON)
    assert _get(clinic_a, a).status == Status.SENT
    b = _get(clinic_b, b)
    assert (b.status, b.error_code) == (Status.FAILED, "10")
    assert [m["To"] for m in postmark_fake.messages] == ["a@example.com"]


def test_email_queued_at_night_waits_for_the_morning(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    night = dt.datetime(2026, 11, 27, 23, 0, tzinfo=dt.UTC)  # 23:00 in London (GMT)
    message = _queue(clinic_a, "late@example.com", now=night)
    morning = dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC)
    assert _get(clinic_a, message).send_after == morning
    assert _run(clinic_a, now=night + dt.timedelta(hours=8, minutes=59)) == 0
    assert [r for r in postmark_fake.requests if r.method == "POST"] == []
    assert _run(clinic_a, now=morning) == 1
    assert _get(clinic_a, message).status == Status.SENT
