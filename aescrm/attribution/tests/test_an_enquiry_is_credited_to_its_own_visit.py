"""An enquiry's lead is credited to the visit that sent it, never to an older campaign.

A touch cannot happen after the enquiry it came with: one sent without a
time (an API client, a form without the widget), or stamped a few seconds
ahead by a visitor's fast clock, is kept at the enquiry's own time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope

OLD_CAMPAIGN = {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "winter_implants"}
NEW_CAMPAIGN = {"utm_source": "facebook", "utm_medium": "paid_social", "utm_campaign": "spring"}


def _enquire(clinic_a: Any, patient_id: str, **touches: Any) -> Any:
    response = clinic_a.api().post(
        "/api/v1/enquiries",
        {"patient": patient_id, "channel": "web_form", "message": "Hello", **touches},
    )
    assert response.status_code == 201, response.content
    return response.json()


def _lead_touch(clinic_a: Any, enquiry_id: str) -> Any:
    with clinic_scope(clinic_a.clinic.pk):
        event = ConversionEvent.objects.select_related("last_touch", "first_touch").get(
            enquiry_id=enquiry_id, kind="lead"
        )
    return event


def test_a_touch_sent_without_a_time_credits_its_own_enquiry(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="returning@example.com")
    month_ago = timezone.now() - dt.timedelta(days=30)
    _enquire(
        clinic_a,
        str(patient.pk),
        last_touch={**OLD_CAMPAIGN, "occurred_at": month_ago.isoformat()},
    )

    second = _enquire(clinic_a, str(patient.pk), last_touch=NEW_CAMPAIGN)

    event = _lead_touch(clinic_a, second["id"])
    assert event.last_touch.utm_campaign == "spring"
    assert event.first_touch.utm_campaign == "winter_implants"
    assert event.last_touch.occurred_at <= event.occurred_at


def test_a_visitor_clock_a_little_ahead_does_not_move_the_credit(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="fastclock@example.com")
    month_ago = timezone.now() - dt.timedelta(days=30)
    _enquire(
        clinic_a,
        str(patient.pk),
        last_touch={**OLD_CAMPAIGN, "occurred_at": month_ago.isoformat()},
    )
    # Within the slack allowed for clocks: accepted, but not after the enquiry.
    ahead = timezone.now() + dt.timedelta(seconds=40)

    second = _enquire(
        clinic_a, str(patient.pk), last_touch={**NEW_CAMPAIGN, "occurred_at": ahead.isoformat()}
    )

    event = _lead_touch(clinic_a, second["id"])
    assert event.last_touch.utm_campaign == "spring"
    assert event.last_touch.occurred_at <= event.occurred_at
