"""`aescrm seed_demo --json`: two clinics, a login per role, working API keys; safe to re-run."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from aescrm.accounts.permissions import Role
from aescrm.automation.models import Rule, Run
from aescrm.automation.recipes import RECIPES
from aescrm.billing.models import Subscription
from aescrm.core.tenancy import clinic_scope
from aescrm.demo import seed
from aescrm.demo.seed import DEMO_TEMPLATES
from aescrm.patients.models import Appointment, Patient
from aescrm.templating.models import MessageTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(monkeypatch: Any) -> None:
    # The same two clinics, fewer patients, so the test stays quick.
    monkeypatch.setattr(
        seed, "CLINICS", [(slug, name, domains, 12) for slug, name, domains, _ in seed.CLINICS]
    )


def _seed_json() -> dict[str, Any]:
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_clinics_logins_and_keys_and_is_idempotent(small_demo: None) -> None:
    first = _seed_json()
    with clinic_scope(first["clinics"][0]["id"]):
        templates_after_first_run = MessageTemplate.objects.count()
    second = _seed_json()

    assert [c["slug"] for c in first["clinics"]] == ["harbour", "northgate"]
    for clinic in first["clinics"]:
        assert set(clinic) == {
            "id",
            "slug",
            "name",
            "public_key",
            "api_key",
            "users",
            "twilio_number",
            "twilio_auth_token",
            "postmark_webhook_user",
            "postmark_webhook_password",
            "stripe_customer_id",
            "stripe_subscription_id",
        }
        assert sorted(u["role"] for u in clinic["users"]) == sorted(r.value for r in Role)
        assert clinic["stripe_customer_id"] == f"cus_demo_{clinic['slug']}"
        assert clinic["stripe_subscription_id"] == f"sub_demo_{clinic['slug']}"
        assert Subscription.objects.get(clinic_id=clinic["id"]).status == "active"
        with clinic_scope(clinic["id"]):
            assert Patient.objects.count() == 12
            assert Appointment.objects.exists()
            demo_templates = MessageTemplate.objects.filter(
                name__in=[t.name for t in DEMO_TEMPLATES]
            )
            assert sorted(demo_templates.values_list("channel", "kind")) == [
                ("email", "service"),
                ("sms", "marketing"),
                ("sms", "service"),
            ]
            # The built-in automations, with reminders for the appointments ahead.
            assert Rule.objects.filter(recipe="reminder_48h", enabled=True).exists()
            assert Run.objects.filter(status="scheduled", rule__recipe="reminder_48h").exists()
    # Re-running adds nobody and keeps the same clinics.
    assert [c["id"] for c in second["clinics"]] == [c["id"] for c in first["clinics"]]
    with clinic_scope(first["clinics"][0]["id"]):
        assert Patient.objects.count() == 12
        assert MessageTemplate.objects.count() == templates_after_first_run
        assert Rule.objects.count() == len(RECIPES)


def test_the_printed_key_and_logins_work_and_see_only_their_clinic(small_demo: None) -> None:
    harbour, northgate = _seed_json()["clinics"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {harbour['api_key']}")

    patients = api.get("/api/v1/patients", {"limit": 100}).json()["items"]

    with clinic_scope(northgate["id"]):
        northgate_ids = {str(pk) for pk in Patient.objects.values_list("pk", flat=True)}
    assert len(patients) == 12
    assert not {p["id"] for p in patients} & northgate_ids
    receptionist = next(u for u in harbour["users"] if u["role"] == "receptionist")
    web = Client()
    response = web.post(
        "/sign-in", {"email": receptionist["email"], "password": receptionist["password"]}
    )
    assert response.status_code == 302


def test_the_printed_twilio_details_sign_a_working_webhook(small_demo: None, settings: Any) -> None:
    from twilio.request_validator import RequestValidator

    from aescrm.messaging.models import Message

    harbour, northgate = _seed_json()["clinics"]
    assert harbour["twilio_number"] != northgate["twilio_number"]
    params = {
        "MessageSid": "SM" + "9" * 32,
        "From": "+447700900999",
        "To": northgate["twilio_number"],
        "Body": "Hello",
    }
    url = f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/sms"
    signature = RequestValidator(northgate["twilio_auth_token"]).compute_signature(url, params)
    response = Client().post("/webhooks/twilio/sms", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    with clinic_scope(northgate["id"]):
        assert Message.objects.filter(direction="inbound").count() == 1
    with clinic_scope(harbour["id"]):
        assert Message.objects.count() == 0


def test_the_printed_postmark_login_opens_that_clinics_webhook(small_demo: None) -> None:
    import base64

    from aescrm.messaging.models import Message

    harbour, northgate = _seed_json()["clinics"]
    assert harbour["postmark_webhook_user"] != northgate["postmark_webhook_user"]
    login = f"{northgate['postmark_webhook_user']}:{northgate['postmark_webhook_password']}"
    payload = {
        "From": "new.patient@example.net",
        "FromName": "New Patient",
        "FromFull": {"Email": "new.patient@example.net", "Name": "New Patient"},
        "To": "northgate-demo@inbound.postmarkapp.com",
        "ToFull": [{"Email": "northgate-demo@inbound.postmarkapp.com", "MailboxHash": ""}],
        "Subject": "Hello",
        "MessageID": "0f5a9c1e-1111-4222-8333-944455556666",
        "MailboxHash": "",
        "TextBody": "Do you have appointments on Saturdays?",
        "StrippedTextReply": "",
        "Headers": [],
        "Attachments": [],
    }
    response = Client().post(
        "/webhooks/postmark/inbound",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(login.encode()).decode(),
    )
    assert response.status_code == 200
    with clinic_scope(northgate["id"]):
        assert Message.objects.filter(channel="email", direction="inbound").count() == 1
    with clinic_scope(harbour["id"]):
        assert not Message.objects.filter(channel="email").exists()
