"""Settings → Usage and GET /api/v1/usage: each metric's used, limit and share, the period
in UK time, the 80% warning and the limit notice (also on the dashboard); owners and
managers only, each clinic seeing its own figures."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from aescrm.accounts.models import ApiKey
from aescrm.accounts.services import api_key_create
from aescrm.billing.models import Metric, Subscription
from aescrm.billing.tests.usage_support import NOON, subscribe, use
from aescrm.testing.fixtures import ApiClient, ClinicWorld
from aescrm.web.tests.support import member_client

WARNING = (
    "You have used 3,300 of your 4,000 SMS segments (82%). At the limit texts are held "
    "until 1 January 2027; upgrade your plan to avoid that."
)


def text(response: Any) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    assert response.status_code == 200, response.status_code
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(autouse=True)
def _at_noon() -> Iterator[None]:
    with time_machine.travel(NOON, tick=True):
        yield


def _busy(world: ClinicWorld) -> None:
    subscribe(world)
    use(world, Metric.SMS_SEGMENTS, 3300)
    use(world, Metric.EMAILS, 10000)
    use(world, Metric.CHAT_CONVERSATIONS, 12)


def test_the_owner_sees_each_limit_with_the_warning_and_the_limit_reached(
    clinic_a: ClinicWorld,
) -> None:
    _busy(clinic_a)
    page = text(member_client(clinic_a, "owner").get("/settings/usage"))
    assert "Your plan: Growth" in page
    assert "from 1 December 2026 to 1 January 2027" in page
    assert "SMS segments 3,300 4,000 82% nearly reached" in page
    assert "Emails 10,000 10,000 100% limit reached" in page
    assert "Chatbot conversations 12 1,500 0%" in page
    assert "Seats (team members) 6 10 60%" in page
    assert WARNING in page
    assert "Monthly email limit of 10,000 emails reached on 12 December 2026" in page
    assert "Keep sending past the SMS, email and chatbot limits" in page


def test_the_dashboard_shows_the_notices_to_owners_and_managers_only(
    clinic_a: ClinicWorld,
) -> None:
    _busy(clinic_a)
    for role in ("owner", "manager"):
        assert WARNING in text(member_client(clinic_a, role).get("/"))
    assert WARNING not in text(member_client(clinic_a, "receptionist").get("/"))


def test_a_manager_sees_the_page_but_cannot_allow_overage(clinic_a: ClinicWorld) -> None:
    _busy(clinic_a)
    client = member_client(clinic_a, "manager")
    page = text(client.get("/settings/usage"))
    assert "SMS segments 3,300" in page
    assert "Keep sending past" not in page
    assert client.post("/settings/usage/overage", {"allow_overage": "on"}).status_code == 403
    assert not Subscription.objects.get(clinic=clinic_a.clinic).allow_overage


def test_the_owner_allows_overage_from_the_page(clinic_a: ClinicWorld) -> None:
    _busy(clinic_a)
    client = member_client(clinic_a, "owner")
    response = client.post("/settings/usage/overage", {"allow_overage": "on"}, follow=True)
    assert "Overage is on" in text(response)
    assert Subscription.objects.get(clinic=clinic_a.clinic).allow_overage


def test_other_roles_get_403(clinic_a: ClinicWorld) -> None:
    for role in ("receptionist", "clinician", "marketer", "auditor"):
        assert member_client(clinic_a, role).get("/settings/usage").status_code == 403


def test_each_clinic_sees_only_its_own_usage(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    _busy(clinic_a)
    page = text(member_client(clinic_b, "owner").get("/settings/usage"))
    assert "not billed through a plan" in page
    assert "SMS segments 0 No limit" in page
    assert "3,300" not in page
    # Clinic B's owner allowing overage changes nothing of clinic A's.
    member_client(clinic_b, "owner").post("/settings/usage/overage", {"allow_overage": "on"})
    assert not Subscription.objects.get(clinic=clinic_a.clinic).allow_overage
    body = clinic_b.api().get("/api/v1/usage").json()
    assert {m["metric"]: m["used"] for m in body["metrics"]} == {
        "sms_segments": 0,
        "emails": 0,
        "chat_conversations": 0,
        "seats": 6,
    }


def test_the_api_gives_the_keys_clinic_its_usage(clinic_a: ClinicWorld) -> None:
    _busy(clinic_a)
    response = clinic_a.api().get("/api/v1/usage")
    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "Growth"
    assert (body["period_start"], body["period_end"]) == (
        "2026-12-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
    )
    sms, emails, chats, seats = body["metrics"]
    assert sms == {
        "metric": "sms_segments",
        "label": "SMS segments",
        "used": 3300,
        "limit": 4000,
        "percent": 82,
        "warning": True,
        "reached": False,
        "overage": 0,
        "limit_reached_at": None,
    }
    assert (emails["reached"], emails["limit_reached_at"]) == (True, "2026-12-12T12:00:00Z")
    assert (chats["used"], chats["warning"]) == (12, False)
    assert (seats["used"], seats["limit"]) == (6, 10)
    assert [n["level"] for n in body["notices"]] == ["warning", "reached"]
    assert body["notices"][0]["text"] == WARNING


def test_a_key_without_the_usage_scope_gets_403(clinic_a: ClinicWorld) -> None:
    _, key = api_key_create(clinic=clinic_a.clinic, name="reader", scopes=["patients:read"])
    response = ApiClient(key).get("/api/v1/usage")
    assert response.status_code == 403
    assert ApiKey.objects.filter(clinic=clinic_a.clinic).count() == 2
