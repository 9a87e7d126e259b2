"""Privacy → Suppression list: entries without addresses, a check by address, and taking one
off with a recorded reason; other clinics and roles without the privacy register see nothing."""

from __future__ import annotations

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.models import Suppression
from aescrm.erasure.tests.support import EMAIL, PHONE
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

URL = "/privacy/suppressions/"


def test_the_list_shows_entries_but_never_an_address(
    clinic_a: ClinicWorld, erased: Patient
) -> None:
    page = text(member_client(clinic_a, "manager").get(URL))

    assert "On the list (2)" in page
    assert "Email address" in page and "Phone number" in page
    assert EMAIL not in page and "900777" not in page


def test_an_address_is_checked_and_taken_off_with_a_reason(
    clinic_a: ClinicWorld, erased: Patient
) -> None:
    manager = member_client(clinic_a, "manager")

    listed = text(manager.get(URL, {"address": "GWEN.morgan@example.org "}))
    not_listed = text(manager.get(URL, {"address": "someone@example.org"}))

    assert "On the list since" in listed
    assert "Not on the list." in not_listed
    with clinic_scope(clinic_a.clinic.pk):
        entry = Suppression.objects.get(kind="email")
    response = manager.post(f"{URL}{entry.pk}/lift", {"reason": "asked_back"})
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        assert list(Suppression.objects.values_list("kind", flat=True)) == ["phone"]
        lifted = AuditEntry.objects.get(action="privacy.suppression.lifted")
    assert lifted.detail["why"] == "staff_asked_back"
    assert "On the list since" in text(manager.get(URL, {"address": PHONE}))


def test_other_clinics_and_roles_get_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, erased: Patient
) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        entry = Suppression.objects.get(kind="email")
    outsider = member_client(clinic_b, "owner")

    assert "Nobody is on the list." in text(outsider.get(URL))
    assert "Not on the list." in text(outsider.get(URL, {"address": EMAIL}))
    assert outsider.post(f"{URL}{entry.pk}/lift", {"reason": "asked_back"}).status_code == 404
    assert member_client(clinic_a, "receptionist").get(URL).status_code == 403
    assert (
        member_client(clinic_a, "auditor")
        .post(f"{URL}{entry.pk}/lift", {"reason": "asked_back"})
        .status_code
        == 403
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert Suppression.objects.count() == 2
