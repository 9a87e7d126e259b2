"""Speed-to-lead alerts count only opening hours (Europe/London), once per lead."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.pipeline import hours, services
from aescrm.pipeline.models import DEFAULT_OPENING_HOURS, LeadAlert
from aescrm.pipeline.tests.support import make_lead
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_the_deadline_counts_only_opening_hours() -> None:
    five = dt.timedelta(minutes=5)
    # Friday 17:58 → two minutes on Friday, three on Saturday morning.
    assert hours.due_at(london(2026, 11, 27, 17, 58), five, DEFAULT_OPENING_HOURS, LONDON) == (
        london(2026, 11, 28, 9, 3)
    )
    # Saturday afternoon → Monday 09:05 (closed on Sunday).
    assert hours.due_at(london(2026, 11, 28, 15, 0), five, DEFAULT_OPENING_HOURS, LONDON) == (
        london(2026, 11, 30, 9, 5)
    )
    # Inside hours: plain five minutes. Across the spring clock change, no hour is lost.
    assert hours.due_at(london(2026, 11, 25, 10, 0), five, DEFAULT_OPENING_HOURS, LONDON) == (
        london(2026, 11, 25, 10, 5)
    )
    assert hours.due_at(london(2026, 3, 28, 12, 58), five, DEFAULT_OPENING_HOURS, LONDON) == (
        london(2026, 3, 30, 9, 3)
    )
    assert (
        hours.open_seconds_between(
            london(2026, 11, 27, 17, 0), london(2026, 11, 30, 10, 0), DEFAULT_OPENING_HOURS, LONDON
        )
        == (60 + 4 * 60 + 60) * 60
    )


def test_opening_hours_are_validated_naming_the_day() -> None:
    with pytest.raises(ValidationFailed) as late:
        hours.validate_hours({"0": [["18:00", "09:00"]]})
    with pytest.raises(ValidationFailed) as bad:
        hours.validate_hours({"9": [["09:00", "17:00"]]})
    with pytest.raises(ValidationFailed) as garbled:
        hours.validate_hours({"1": [["9am", "17:00"]]})
    assert (late.value.field, bad.value.field, garbled.value.field) == (
        "opening_hours.0",
        "opening_hours.9",
        "opening_hours.1",
    )


def test_overlapping_spans_are_refused_not_counted_twice() -> None:
    """09:00–13:00 and 12:00–18:00 would count 12:00–13:00 twice and bring deadlines forward."""
    with pytest.raises(ValidationFailed) as overlap:
        hours.validate_hours({"2": [["12:00", "18:00"], ["09:00", "13:00"]]})
    assert overlap.value.field == "opening_hours.2"
    assert "overlap" in overlap.value.detail
    # Back to back is fine (a lunch break is two spans).
    assert hours.validate_hours({"2": [["13:00", "18:00"], ["09:00", "13:00"]]}) == {
        "2": [["09:00", "13:00"], ["13:00", "18:00"]]
    }


def test_a_friday_evening_lead_alerts_only_after_saturday_opening(clinic_a: Any) -> None:
    lead = make_lead(clinic_a, created_at=london(2026, 11, 27, 17, 58))

    assert services.raise_overdue_alerts(now=london(2026, 11, 27, 18, 30)) == 0
    assert services.raise_overdue_alerts(now=london(2026, 11, 28, 9, 2)) == 0
    assert services.raise_overdue_alerts(now=london(2026, 11, 28, 9, 4)) == 1

    with clinic_scope(clinic_a.clinic.pk):
        alert = LeadAlert.objects.get()
        assert AuditEntry.objects.filter(action="lead.alert", object_id=str(lead.pk)).count() == 1
    assert alert.enquiry_id == lead.pk
    assert alert.due_at == london(2026, 11, 28, 9, 3)


def test_it_never_raises_the_same_alert_twice(clinic_a: Any) -> None:
    make_lead(clinic_a, created_at=london(2026, 11, 25, 10, 0))
    later = london(2026, 11, 25, 11, 0)

    assert services.raise_overdue_alerts(now=later) == 1
    assert services.raise_overdue_alerts(now=later) == 0
    assert services.raise_overdue_alerts(now=later + dt.timedelta(hours=3)) == 0
    with clinic_scope(clinic_a.clinic.pk):
        assert LeadAlert.objects.count() == 1


def test_contacted_leads_and_the_clinics_own_limit(clinic_a: Any, clinic_b: Any) -> None:
    answered = make_lead(clinic_a, created_at=london(2026, 11, 25, 10, 0))
    with clinic_scope(clinic_a.clinic.pk):
        services.lead_log_contact(caller=clinic_a.caller(), enquiry=answered)
    make_lead(clinic_b, created_at=london(2026, 11, 25, 10, 0))
    with clinic_scope(clinic_b.clinic.pk):
        services.settings_update(caller=clinic_b.caller(), response_limit_minutes=30)

    assert services.raise_overdue_alerts(now=london(2026, 11, 25, 10, 20)) == 0
    assert services.raise_overdue_alerts(now=london(2026, 11, 25, 10, 31)) == 1
    with clinic_scope(clinic_a.clinic.pk):
        assert not LeadAlert.objects.exists()


def test_the_banner_shows_open_alerts_until_the_lead_is_answered(clinic_a: Any) -> None:
    lead = make_lead(clinic_a, created_at=london(2026, 11, 25, 10, 0))
    services.raise_overdue_alerts(now=london(2026, 11, 25, 11, 0))
    client = member_client(clinic_a, "receptionist")

    assert "1 new lead waiting past the response time" in client.get("/").content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        services.lead_move(caller=clinic_a.caller("receptionist"), enquiry=lead, stage="contacted")
        assert LeadAlert.objects.get().resolved_at is not None
    assert "waiting past the response time" not in client.get("/").content.decode()
