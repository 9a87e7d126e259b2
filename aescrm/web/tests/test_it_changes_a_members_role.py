"""Change role: the member's next page follows the new role; the change is audited."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Membership
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_an_owner_changes_a_receptionist_into_a_marketer(clinic_a: Any) -> None:
    receptionist = clinic_a.users["receptionist"]
    their_client = member_client(clinic_a, "receptionist")
    assert their_client.get("/calendar/").status_code == 200
    owner = member_client(clinic_a, "owner")

    response = owner.post(
        f"/settings/team/members/{receptionist.pk}/role", {"role": "marketer"}, follow=True
    )

    assert "The role of receptionist@alpha.test is now Marketer." in text(response)
    assert Membership.objects.get(user=receptionist, clinic=clinic_a.clinic).role == "marketer"
    # Their open session follows the new role on the very next request.
    assert their_client.get("/calendar/").status_code == 403
    assert their_client.get("/reports/").status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.get(action="membership.role_change")
    assert entry.object_id == str(receptionist.pk)
    assert entry.detail == {"role": "marketer", "previous_role": "receptionist"}
    assert entry.actor_id == str(clinic_a.users["owner"].pk)


def test_a_manager_changes_roles_other_than_owner(clinic_a: Any) -> None:
    clinician = clinic_a.users["clinician"]

    member_client(clinic_a, "manager").post(
        f"/settings/team/members/{clinician.pk}/role", {"role": "auditor"}
    )

    assert Membership.objects.get(user=clinician, clinic=clinic_a.clinic).role == "auditor"


def test_an_unknown_role_changes_nothing(clinic_a: Any) -> None:
    clinician = clinic_a.users["clinician"]

    response = member_client(clinic_a, "owner").post(
        f"/settings/team/members/{clinician.pk}/role", {"role": "superuser"}, follow=True
    )

    assert "Choose one of the roles." in text(response)
    assert Membership.objects.get(user=clinician, clinic=clinic_a.clinic).role == "clinician"


def test_a_member_made_manager_must_set_up_two_factor(clinic_a: Any) -> None:
    receptionist = clinic_a.users["receptionist"]
    their_client = member_client(clinic_a, "receptionist")

    member_client(clinic_a, "owner").post(
        f"/settings/team/members/{receptionist.pk}/role", {"role": "manager"}
    )

    assert their_client.get("/patients/")["Location"].startswith("/sign-in/two-factor")
