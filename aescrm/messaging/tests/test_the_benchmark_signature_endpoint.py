"""/bench/twilio-bare: mounted only for benchmarks; checks the signature exactly as the webhook."""

from __future__ import annotations

from typing import Any

from django.test import Client, RequestFactory
from twilio.request_validator import RequestValidator

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, webhooks
from aescrm.messaging.tests.conftest import NUMBER_B, PUBLIC, connect
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fixtures import ClinicWorld

PATH = "/bench/twilio-bare"
FORM = {"MessageSid": "SM" + "7" * 32, "From": "+447700900800", "Body": "Hi"}


def _post(to: str, token: str) -> Any:
    params = {**FORM, "To": to}
    signature = RequestValidator(token).compute_signature(PUBLIC + PATH, params)
    request = RequestFactory().post(PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)
    return webhooks.signature_check_only(request)


def test_it_is_not_mounted_unless_benchmarking(clinic_a: ClinicWorld, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = PUBLIC
    connect(clinic_a)
    assert Client().post(PATH, {**FORM, "To": fake_twilio.NUMBER}).status_code == 404


def test_signed_for_the_number_s_clinic_is_answered_with_empty_twiml(
    clinic_a: ClinicWorld, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = PUBLIC
    connect(clinic_a)
    response = _post(fake_twilio.NUMBER, fake_twilio.AUTH_TOKEN)
    assert response.status_code == 200
    assert response.content.decode() == webhooks.EMPTY_TWIML


def test_another_clinic_s_token_or_none_is_refused(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = PUBLIC
    connect(clinic_a)
    with clinic_scope(clinic_b.clinic.pk):
        services.settings_set(
            caller=clinic_b.caller(),
            account_sid=fake_twilio.ACCOUNT_SID,
            auth_token="clinic-b-token",
            sending_number=NUMBER_B,
        )
    assert _post(fake_twilio.NUMBER, "clinic-b-token").status_code == 403
    assert _post(NUMBER_B, fake_twilio.AUTH_TOKEN).status_code == 403
    unsigned = RequestFactory().post(PATH, {**FORM, "To": fake_twilio.NUMBER})
    assert webhooks.signature_check_only(unsigned).status_code == 403
