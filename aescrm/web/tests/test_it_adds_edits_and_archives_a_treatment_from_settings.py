"""Settings → Treatments: a treatment added there is offered on the booking form at once;
edits show in the list; archived, it is no longer offered, and restored, it is again."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Lip filler",
    "category": "Injectables",
    "duration_minutes": "45",
    "price": "£250",
    "buffer_before_minutes": "10",
    "buffer_after_minutes": "",
    "prescription_medicine": "on",
}


def _saved(world: Any, pk: Any) -> Treatment:
    with clinic_scope(world.clinic.pk):
        return Treatment.objects.get(pk=pk)


def _booking_form(client: Any, patient: Any) -> str:
    return text(client.get(f"/calendar/book?patient={patient.pk}"))


def test_a_manager_adds_edits_archives_and_restores_a_treatment(clinic_a: Any) -> None:
    manager = member_client(clinic_a, "manager")
    patient = clinic_a.make_patient(first_name="Ada")
    assert "Lip filler" not in _booking_form(manager, patient)

    # Add
    added = manager.post("/settings/treatments", NEW, follow=True)
    page = text(added)
    assert "Lip filler added. It can be booked now." in page
    assert "£250.00" in page and "Injectables" in page and "45 min" in page
    with clinic_scope(clinic_a.clinic.pk):
        treatment = Treatment.objects.get(name="Lip filler")
    assert (treatment.price_pence, treatment.duration_minutes) == (25000, 45)
    assert (treatment.buffer_before_minutes, treatment.buffer_after_minutes) == (10, 0)
    assert treatment.prescription_medicine and treatment.active
    offered = f'<option value="{treatment.pk}">Lip filler (45 min, £250.00)</option>'
    assert offered in _booking_form(manager, patient)

    # Edit: the form shows what is saved, the change shows in the list
    edit_url = f"/settings/treatments/{treatment.pk}/edit"
    assert 'value="250"' in text(manager.get(edit_url))
    edited = manager.post(
        edit_url, {**NEW, "name": "Lip filler (1ml)", "price": "249.99"}, follow=True
    )
    assert "Lip filler (1ml) saved." in text(edited)
    assert "£249.99" in text(edited)
    treatment = _saved(clinic_a, treatment.pk)
    assert (treatment.name, treatment.price_pence) == ("Lip filler (1ml)", 24999)

    # Archive: kept (appointments refer to it), no longer offered
    archived = manager.post(f"/settings/treatments/{treatment.pk}/archive", follow=True)
    assert "Lip filler (1ml) archived." in text(archived)
    assert "Archived" in text(archived)
    assert not _saved(clinic_a, treatment.pk).active
    assert "Lip filler (1ml)" not in _booking_form(manager, patient)

    # Restore
    restored = manager.post(f"/settings/treatments/{treatment.pk}/restore", follow=True)
    assert "Lip filler (1ml) restored." in text(restored)
    assert "Lip filler (1ml)" in _booking_form(manager, patient)


def test_the_onboarding_checklist_links_to_the_new_pages(clinic_a: Any) -> None:
    from aescrm.accounts.onboarding import checklist

    items = {item.key: item.url_name for item in checklist(clinic_a.clinic).items}

    assert items["treatments"] == "web:treatments"
    assert items["practitioners"] == "web:practitioners"
