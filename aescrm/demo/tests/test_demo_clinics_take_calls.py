"""`aescrm seed_demo`: each demo clinic forwards calls and texts back the ones it misses."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from twilio.request_validator import RequestValidator

from aescrm.core.tenancy import clinic_scope
from aescrm.demo import seed
from aescrm.messaging.models import Call, Message

pytestmark = pytest.mark.django_db
PUBLIC = "https://demo.example.org"


@pytest.fixture
def tiny_demo(monkeypatch: Any, settings: Any) -> list[dict[str, Any]]:
    monkeypatch.setattr(
        seed, "CLINICS", [(slug, name, domains, 3) for slug, name, domains, _ in seed.CLINICS]
    )
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.MESSAGING_MODE = "console"
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    clinics: list[dict[str, Any]] = json.loads(out.getvalue())["clinics"]
    return clinics


def _post(path: str, params: dict[str, str], token: str) -> Any:
    signature = RequestValidator(token).compute_signature(f"{PUBLIC}{path}", params)
    return Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_a_call_to_a_demo_number_is_forwarded_and_a_missed_one_texted_back(
    tiny_demo: list[dict[str, Any]],
) -> None:
    for clinic in tiny_demo:
        call = {
            "CallSid": "CA" + clinic["slug"][0] * 32,
            "From": "+447700900777",
            "To": clinic["twilio_number"],
            "CallStatus": "ringing",
        }
        token = clinic["twilio_auth_token"]
        forwarded = _post("/webhooks/twilio/voice", call, token)
        assert forwarded.status_code == 200
        forwarding = seed.DEMO_FORWARDING_NUMBERS[clinic["slug"]]
        assert f"<Number>{forwarding}</Number>".encode() in forwarded.content
        _post("/webhooks/twilio/voice/outcome", call | {"DialCallStatus": "no-answer"}, token)
        with clinic_scope(clinic["id"]):
            (recorded,) = Call.objects.all()
            assert recorded.text_back_id is not None
            text_back = Message.objects.get(pk=recorded.text_back_id)
        assert recorded.outcome == "missed"
        assert str(text_back.body).startswith(f"Sorry we missed your call to {clinic['name']}.")
