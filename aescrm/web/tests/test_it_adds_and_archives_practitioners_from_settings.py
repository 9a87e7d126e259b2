"""Settings → Practitioners: add one (optionally linked to a member of the team), see them
offered for booking, edit, archive (told about appointments still booked) and restore."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner
from aescrm.web.tests.support import book, member_client, text

pytestmark = pytest.mark.django_db


def _saved(world: Any, **lookup: Any) -> Practitioner:
    with clinic_scope(world.clinic.pk):
        return Practitioner.objects.get(**lookup)


def test_an_owner_adds_a_practitioner_linked_to_a_member(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    nurse = clinic_a.users["clinician"]
    form = text(owner.get("/settings/practitioners"))
    assert f'<option value="{nurse.pk}">clinician@alpha.test</option>' in form
    assert 'href="/settings/availability"' in form

    added = owner.post(
        "/settings/practitioners",
        {
            "display_name": "Nurse Amy Lee",
            "profession": "Aesthetic nurse",
            "registration": "NMC 12A3456B",
            "user": str(nurse.pk),
        },
        follow=True,
    )

    page = text(added)
    assert "Nurse Amy Lee added. Set their working hours on Settings → Availability" in page
    assert "NMC 12A3456B" in page and "None set" in page
    amy = _saved(clinic_a, display_name="Nurse Amy Lee")
    assert (amy.profession, amy.registration, amy.user_id) == (
        "Aesthetic nurse",
        "NMC 12A3456B",
        nurse.pk,
    )
    assert f'href="/settings/availability#p-{amy.pk}"' in page  # to set their hours
    patient = clinic_a.make_patient()
    booking = text(owner.get(f"/calendar/book?patient={patient.pk}"))
    assert f'<option value="{amy.pk}">Nurse Amy Lee</option>' in booking

    edited = owner.post(
        f"/settings/practitioners/{amy.pk}/edit",
        {"display_name": "Amy Lee RN", "profession": "Aesthetic nurse", "user": ""},
        follow=True,
    )
    assert "Amy Lee RN saved." in text(edited)
    amy = _saved(clinic_a, pk=amy.pk)
    assert (amy.display_name, amy.registration, amy.user_id) == ("Amy Lee RN", "", None)


def test_a_name_is_required(clinic_a: Any) -> None:
    response = member_client(clinic_a, "manager").post(
        "/settings/practitioners", {"display_name": " ", "profession": "Dentist"}
    )

    assert response.status_code == 400
    assert 'id="id_display_name_error"' in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert Practitioner.objects.count() == 1


def test_archiving_says_how_many_appointments_are_still_booked(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    book(clinic_a, clinic_a.make_patient(), dt.datetime.combine(tomorrow, dt.time(10)))
    dr = clinic_a.practitioner

    archived = owner.post(f"/settings/practitioners/{dr.pk}/archive", follow=True)

    assert (
        "Dr Test archived: they can no longer be booked. 1 appointment is still booked with "
        "them: move or cancel it in the calendar."
    ) in text(archived)
    assert not _saved(clinic_a, pk=dr.pk).active
    patient = clinic_a.make_patient()
    assert "Dr Test" not in text(owner.get(f"/calendar/book?patient={patient.pk}"))

    restored = owner.post(f"/settings/practitioners/{dr.pk}/restore", follow=True)
    assert "Dr Test restored." in text(restored)
    assert _saved(clinic_a, pk=dr.pk).active
