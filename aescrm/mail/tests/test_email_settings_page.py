"""/settings/email: owners and managers enter Postmark details (token stored encrypted),
check them against Postmark, and get the clinic's own webhook addresses."""

from __future__ import annotations

from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import MailSettings
from aescrm.mail.tests import payloads
from aescrm.mail.tests.conftest import PUBLIC, SENDER, login_of, post_hook
from aescrm.testing.fakes import postmark as fake_postmark
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

FORM = {
    "server_token": fake_postmark.SERVER_TOKEN,
    "sender_email": SENDER,
    "sender_name": "Alpha Dental",
    "inbound_address": "",
    "message_stream": "outbound",
    "broadcast_stream": "broadcast",
}


def _row(world: ClinicWorld) -> MailSettings | None:
    with clinic_scope(world.clinic.pk):
        return MailSettings.objects.first()


def test_a_manager_saves_checks_and_gets_webhook_addresses(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    client = member_client(clinic_a, "manager")
    assert client.get("/settings/email").status_code == 200
    response = client.post("/settings/email", FORM)
    assert response.status_code == 302
    row = _row(clinic_a)
    assert row is not None
    assert (row.sender_email, row.broadcast_stream, str(row.server_token)) == (
        SENDER,
        "broadcast",
        fake_postmark.SERVER_TOKEN,
    )
    with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
        cursor.execute("SELECT server_token, webhook_password FROM mail_mailsettings")
        stored = b"".join(bytes(v) for v in cursor.fetchone())
    assert fake_postmark.SERVER_TOKEN.encode() not in stored
    page = text(client.get("/settings/email"))
    user, password = login_of(row)
    scheme, rest = PUBLIC.split("://")
    assert f"{scheme}://{user}:{password}@{rest}/webhooks/postmark/inbound" in page
    assert f"{scheme}://{user}:{password}@{rest}/webhooks/postmark/events" in page
    assert fake_postmark.SERVER_TOKEN not in page
    # Check connection: a real GET /server with the token, and the answer shown.
    client.post("/settings/email/check")
    (check,) = [r for r in postmark_fake.requests if r.path == "/server"]
    assert check.headers["x-postmark-server-token"] == fake_postmark.SERVER_TOKEN
    page = text(client.get("/settings/email"))
    assert f"Connected to the Postmark server “{fake_postmark.SERVER_NAME}”" in page
    row = _row(clinic_a)
    assert row is not None and row.check_ok
    assert row.inbound_address == fake_postmark.INBOUND_ADDRESS  # filled in from Postmark


def test_a_wrong_token_is_reported_clearly(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    client = member_client(clinic_a, "owner")
    client.post("/settings/email", {**FORM, "server_token": "wrong-token"})
    client.post("/settings/email/check")
    page = text(client.get("/settings/email"))
    assert "Postmark refused the server token (401)" in page
    row = _row(clinic_a)
    assert row is not None and not row.check_ok


def test_bad_input_is_refused_naming_the_field(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    client = member_client(clinic_a, "owner")
    response = client.post("/settings/email", {**FORM, "sender_email": "not an address"})
    assert response.status_code == 400
    assert "is not a valid email address" in text(response)
    response = client.post("/settings/email", {**FORM, "broadcast_stream": "my stream!"})
    assert response.status_code == 400
    assert "message stream id" in text(response)
    assert _row(clinic_a) is None


def test_a_new_webhook_login_retires_the_old_one(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    client = member_client(clinic_a, "owner")
    client.post("/settings/email", FORM)
    row = _row(clinic_a)
    assert row is not None
    old = login_of(row)
    client.post("/settings/email/webhook-login")
    row = _row(clinic_a)
    assert row is not None
    new = login_of(row)
    assert new != old
    payload = payloads.inbound(sender="someone@example.net")
    assert post_hook("/webhooks/postmark/inbound", payload, old).status_code == 401
    assert post_hook("/webhooks/postmark/inbound", payload, new).status_code == 200


def test_other_roles_get_403(clinic_a: ClinicWorld) -> None:
    for role in ("receptionist", "clinician", "marketer", "auditor"):
        client = member_client(clinic_a, role)
        assert client.get("/settings/email").status_code == 403
        assert client.post("/settings/email", FORM).status_code == 403
        assert client.post("/settings/email/check").status_code == 403
        assert client.post("/settings/email/webhook-login").status_code == 403
    assert _row(clinic_a) is None


def test_another_clinics_manager_never_sees_or_changes_these_settings(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    member_client(clinic_a, "owner").post("/settings/email", FORM)
    before = _row(clinic_a)
    assert before is not None
    outsider = member_client(clinic_b, "manager")
    page = text(outsider.get("/settings/email"))
    assert SENDER not in page
    assert before.webhook_user not in page
    outsider.post("/settings/email", {**FORM, "sender_email": "b@bravo.example"})
    outsider.post("/settings/email/webhook-login")
    after = _row(clinic_a)
    assert after is not None
    assert (after.sender_email, after.webhook_user) == (SENDER, before.webhook_user)
    assert login_of(after) == login_of(before)
