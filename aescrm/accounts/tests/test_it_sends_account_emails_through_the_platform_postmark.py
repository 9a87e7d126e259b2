from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from aescrm.accounts.account_mail import AccountEmail, AccountMailError, send_account_email
from aescrm.testing.fakes.postmark import FakePostmark

PLATFORM_TOKEN = "platform-token-0001"


@pytest.fixture
def postmark() -> Iterator[FakePostmark]:
    fake = FakePostmark(server_token=PLATFORM_TOKEN)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def test_it_sends_from_the_platform_with_its_own_token(postmark: FakePostmark) -> None:
    with override_settings(
        ACCOUNT_EMAIL_TOKEN=PLATFORM_TOKEN,
        POSTMARK_API_BASE=postmark.api_base,
        ACCOUNT_EMAIL_FROM="AES-CRM <hello@aes-crm.test>",
    ):
        send_account_email(
            AccountEmail(to="owner@clinic.test", subject="Confirm your email", text="Link: x")
        )
    [sent] = postmark.sent_to("owner@clinic.test")
    assert sent["Subject"] == "Confirm your email"
    assert sent["From"] == "AES-CRM <hello@aes-crm.test>"
    assert "Link: x" in sent["TextBody"]


def test_a_refused_send_is_an_error_naming_the_address(postmark: FakePostmark) -> None:
    postmark.invalid.add("bad@clinic.test")
    with (
        override_settings(ACCOUNT_EMAIL_TOKEN=PLATFORM_TOKEN, POSTMARK_API_BASE=postmark.api_base),
        pytest.raises(AccountMailError, match=r"bad@clinic\.test"),
    ):
        send_account_email(AccountEmail(to="bad@clinic.test", subject="s", text="t"))


def test_without_a_token_it_prints_to_the_console(capsys: pytest.CaptureFixture[str]) -> None:
    with override_settings(ACCOUNT_EMAIL_TOKEN=""):
        send_account_email(AccountEmail(to="dev@clinic.test", subject="Hello", text="Follow me"))
    out = capsys.readouterr().out
    assert "dev@clinic.test" in out and "Follow me" in out
