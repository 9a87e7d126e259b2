"""A member's account export lists the usage events linked to them and their choice;
closing the account unlinks those events (the clinic's counts stay)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aescrm.analytics.tests.support import event, events
from aescrm.testing.fixtures import PASSWORD, ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_export_then_close(clinic_a: ClinicWorld) -> None:
    clinic, member = clinic_a.clinic.pk, clinic_a.users["receptionist"]
    at = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
    event(clinic, "report_viewed", at, member.pk)
    event(clinic, "chat_started", at)
    client = member_client(clinic_a, "receptionist")

    data = json.loads(client.get("/account/export.json").content)

    assert data["usage_analytics"] == {
        "opted_out": False,
        "events": [{"feature": "report_viewed", "clinic_id": str(clinic), "at": at.isoformat()}],
    }

    closed = client.post("/account/close", {"password": PASSWORD})
    assert closed.status_code == 200
    assert events() == [("chat_started", clinic, None), ("report_viewed", clinic, None)]
