"""The profile's add-a-note form."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import PatientNote
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_it_adds_the_note_to_the_timeline(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")
    client = member_client(clinic_a, "receptionist")

    response = client.post(f"/patients/{patient.pk}/notes", {"body": "Called back, will book"})

    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/#timeline"
    timeline = text(client.get(f"/patients/{patient.pk}/")).split('id="timeline"')[1]
    assert '<p class="pre note-body">Called back, will book</p>' in timeline
    with clinic_scope(clinic_a.clinic.pk):
        note = PatientNote.objects.get()
        assert note.author_id == clinic_a.users["receptionist"].pk
        assert (
            AuditEntry.objects.filter(action="note.create", object_id=str(patient.pk)).count() == 1
        )


def test_it_refuses_an_empty_note(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()

    response = member_client(clinic_a, "receptionist").post(
        f"/patients/{patient.pk}/notes", {"body": "   "}
    )

    assert response.status_code == 400
    assert '<p class="error" id="id_body_error">Write the note before saving it.</p>' in text(
        response
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert PatientNote.objects.count() == 0
