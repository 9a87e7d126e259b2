"""A member of clinic B gets 404 for clinic A's treatments and practitioners (their edit,
archive and restore addresses) and nothing changes; B cannot link A's staff either."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _state(world: Any) -> tuple[Any, ...]:
    with clinic_scope(world.clinic.pk):
        t = Treatment.objects.get(pk=world.treatment.pk)
        p = Practitioner.objects.get(pk=world.practitioner.pk)
    return (t.name, t.price_pence, t.active, p.display_name, p.user_id, p.active)


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_another_clinics_member_gets_404_and_nothing_changes(
    clinic_a: Any, clinic_b: Any, role: str
) -> None:
    before = _state(clinic_a)
    outsider = member_client(clinic_b, role)
    t, p = clinic_a.treatment.pk, clinic_a.practitioner.pk

    for url, posted in [
        (
            f"/settings/treatments/{t}/edit",
            {"name": "Hacked", "duration_minutes": "30", "price": "1"},
        ),
        (f"/settings/treatments/{t}/archive", {}),
        (f"/settings/treatments/{t}/restore", {}),
        (f"/settings/practitioners/{p}/edit", {"display_name": "Hacked"}),
        (f"/settings/practitioners/{p}/archive", {}),
        (f"/settings/practitioners/{p}/restore", {}),
    ]:
        if url.endswith("/edit"):
            assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, posted).status_code == 404, url

    assert _state(clinic_a) == before
    listed = text(outsider.get("/settings/treatments")) + text(
        outsider.get("/settings/practitioners")
    )
    assert "Hygienist appointment" in listed  # B's own, of the same name
    assert str(t) not in listed and str(p) not in listed


def test_a_practitioner_can_only_be_linked_to_a_member_of_the_clinic(
    clinic_a: Any, clinic_b: Any
) -> None:
    outsider_user = clinic_a.users["clinician"]
    owner_b = member_client(clinic_b, "owner")
    assert str(outsider_user.pk) not in text(owner_b.get("/settings/practitioners"))

    response = owner_b.post(
        "/settings/practitioners",
        {"display_name": "Dr Borrowed", "user": str(outsider_user.pk)},
    )

    assert response.status_code == 400
    assert 'id="id_user_error"' in text(response)
    with clinic_scope(clinic_b.clinic.pk):
        assert not Practitioner.objects.filter(display_name="Dr Borrowed").exists()
