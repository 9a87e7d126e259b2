"""The dashboard counts today's appointments (clinic time) and new enquiries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.web.tests.support import add_enquiry, book, member_client, text

pytestmark = pytest.mark.django_db


def test_it_counts_todays_appointments_and_new_enquiries(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    today = dt.datetime.now(clinic_a.clinic.tz).date()
    tomorrow = today + dt.timedelta(days=1)
    book(clinic_a, patient, dt.datetime.combine(today, dt.time(9)))
    book(clinic_a, patient, dt.datetime.combine(today, dt.time(11)))
    book(clinic_a, patient, dt.datetime.combine(tomorrow, dt.time(9)))
    add_enquiry(clinic_a, patient, channel="chat")

    page = text(member_client(clinic_a, "receptionist").get("/"))

    assert '<p class="figure" id="appointments-today">2</p>' in page
    assert '<p class="figure" id="new-enquiries">1</p>' in page


def test_an_auditor_sees_no_counts(clinic_a: Any) -> None:
    page = text(member_client(clinic_a, "auditor").get("/"))

    assert "appointments-today" not in page
    assert "new-enquiries" not in page
    assert '<a href="/audit/">Audit log</a>' in page
