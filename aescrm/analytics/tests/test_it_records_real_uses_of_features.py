"""The app's own paths record what was used — the feature, the clinic, the member — and
never which patient."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.analytics.tests.support import events
from aescrm.public.tests.support import enquiry, post_json
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_adding_a_patient_and_viewing_a_report_are_counted(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    clinic, owner = clinic_a.clinic.pk, clinic_a.users["owner"]
    client = member_client(clinic_a, "owner")

    with django_capture_on_commit_callbacks(execute=True):
        clinic_a.make_patient(first_name="Ann", last_name="Example")
        assert client.get("/reports/").status_code == 200

    assert events() == [("patient_created", clinic, owner.pk), ("report_viewed", clinic, owner.pk)]


def test_a_website_enquiry_is_a_clinic_event(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(clinic_a.clinic, enquiry())
    assert response.status_code == 201, response.content

    # The website's own enquiry, and the patient it created: the clinic's, no member's.
    assert events() == [
        ("enquiry_received", clinic_a.clinic.pk, None),
        ("patient_created", clinic_a.clinic.pk, None),
    ]
