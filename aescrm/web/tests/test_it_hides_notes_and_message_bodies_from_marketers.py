"""A marketer sees who a patient is, but not their notes or what they wrote to the clinic."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.web.tests.support import add_enquiry, add_note, member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(clinic_a: Any) -> Any:
    patient = clinic_a.make_patient(
        first_name="Zebedee", last_name="Quixotic", notes="Anxious about needles"
    )
    add_note(clinic_a, patient, "Discussed implant options")
    add_enquiry(clinic_a, patient, channel="web_form", message="My tooth hurts at night")
    return patient


SECRETS = ["Anxious about needles", "Discussed implant options", "My tooth hurts at night"]


def test_a_marketer_sees_the_patient_but_no_notes_or_message_bodies(
    clinic_a: Any, patient: Any
) -> None:
    page = text(member_client(clinic_a, "marketer").get(f"/patients/{patient.pk}/"))

    assert "<h1>Zebedee Quixotic</h1>" in page
    assert "Web form" in page  # the enquiry itself is on the timeline
    assert [s for s in SECRETS if s in page] == []
    assert "Add a note" not in page
    assert "Edit details" not in page
    assert "Book appointment" not in page


def test_a_receptionist_sees_notes_and_message_bodies(clinic_a: Any, patient: Any) -> None:
    page = text(member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/"))

    assert [s for s in SECRETS if s in page] == SECRETS
    assert "Add a note" in page
    assert f'href="/calendar/book?patient={patient.pk}">Book appointment</a>' in page


def test_a_clinician_sees_only_patients_they_treat(clinic_a: Any, patient: Any) -> None:
    response = member_client(clinic_a, "clinician").get(f"/patients/{patient.pk}/")

    assert response.status_code == 404
