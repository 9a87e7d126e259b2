"""Staff erase from the patient's record: the plan page says what goes and what stays and why,
the person's name (or ERASE) confirms, a done page follows. Only owners and managers may;
a member of another clinic gets 404 and nothing changes."""

from __future__ import annotations

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.models import Erasure
from aescrm.erasure.tests.support import full_patient
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _live(world: ClinicWorld) -> int:
    with clinic_scope(world.clinic.pk):
        return Patient.objects.exclude(first_name=None).count()


def test_a_manager_reads_the_plan_confirms_and_sees_what_was_done(
    clinic_a: ClinicWorld, console: None
) -> None:
    gwen = full_patient(clinic_a).patient
    client = member_client(clinic_a, "manager")

    record = text(client.get(f"/patients/{gwen.pk}/"))
    page = text(client.get(f"/patients/{gwen.pk}/erase"))
    wrong = client.post(f"/patients/{gwen.pk}/erase", {"reason": "asked", "confirm": "Gwen"})
    done = client.post(f"/patients/{gwen.pk}/erase", {"reason": "asked", "confirm": "gwen morgan"})

    assert f'href="/patients/{gwen.pk}/erase">Erase this person</a>' in record
    assert "What will be erased" in page and "What must stay, and why" in page
    assert "financial records" in page and "email and phone" in page
    assert wrong.status_code == 400 and "Type the person&#x27;s full name" in text(wrong)
    with clinic_scope(clinic_a.clinic.pk):
        erasure = Erasure.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/erasures/{erasure.pk}/"
    summary = text(client.get(done["Location"]))
    assert "The person has been erased" in summary and "Kept with no personal data" in summary
    assert "Gwen" not in summary
    assert client.get(f"/patients/{gwen.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_may_not_erase(clinic_a: ClinicWorld, console: None, role: str) -> None:
    gwen = full_patient(clinic_a).patient
    client = member_client(clinic_a, role)

    page = client.get(f"/patients/{gwen.pk}/erase")
    post = client.post(f"/patients/{gwen.pk}/erase", {"reason": "asked", "confirm": "ERASE"})

    assert page.status_code == 403 and post.status_code == 403
    assert _live(clinic_a) == 1


def test_the_owner_may_erase_with_the_word_erase(clinic_a: ClinicWorld, console: None) -> None:
    gwen = full_patient(clinic_a).patient

    response = member_client(clinic_a, "owner").post(
        f"/patients/{gwen.pk}/erase", {"reason": "objected", "confirm": "ERASE"}
    )

    assert response.status_code == 302 and _live(clinic_a) == 0


def test_a_member_of_another_clinic_gets_404(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, console: None
) -> None:
    gwen = full_patient(clinic_a).patient
    client = member_client(clinic_b, "owner")

    page = client.get(f"/patients/{gwen.pk}/erase")
    post = client.post(f"/patients/{gwen.pk}/erase", {"reason": "asked", "confirm": "ERASE"})

    assert page.status_code == 404 and post.status_code == 404
    assert _live(clinic_a) == 1
    with clinic_scope(clinic_a.clinic.pk):
        erasure_ids = list(Erasure.objects.values_list("pk", flat=True))
    assert erasure_ids == []
