"""A clinic always has an owner: the last one can be neither demoted nor removed."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Membership, User
from aescrm.accounts.services import membership_set
from aescrm.testing.fixtures import PASSWORD
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

LAST_OWNER = "A clinic must always have an owner: make another member an owner first."


def test_the_only_owner_cannot_demote_or_remove_themselves(clinic_a: Any) -> None:
    owner = clinic_a.users["owner"]
    client = member_client(clinic_a, "owner")

    page = text(client.get("/settings/team"))
    demoted = client.post(
        f"/settings/team/members/{owner.pk}/role", {"role": "manager"}, follow=True
    )
    removed = client.post(f"/settings/team/members/{owner.pk}/remove")

    assert "The only owner" in page
    assert LAST_OWNER in text(demoted)
    assert removed.status_code == 409 and LAST_OWNER in text(removed)
    assert Membership.objects.get(user=owner, clinic=clinic_a.clinic).role == "owner"


def test_with_a_second_owner_one_may_step_down(clinic_a: Any) -> None:
    owner = clinic_a.users["owner"]
    second = User.objects.create_user("second.owner@alpha.test", PASSWORD)
    membership_set(clinic=clinic_a.clinic, user=second, role="owner")
    client = member_client(clinic_a, "owner")

    client.post(f"/settings/team/members/{owner.pk}/role", {"role": "manager"})

    assert Membership.objects.get(user=owner, clinic=clinic_a.clinic).role == "manager"
    # Now the second owner is the last one; the former owner (a manager) cannot touch them.
    again = client.post(
        f"/settings/team/members/{second.pk}/role", {"role": "clinician"}, follow=True
    )
    assert "Only an owner can change an owner&#x27;s role." in text(again)
    assert Membership.objects.get(user=second, clinic=clinic_a.clinic).role == "owner"
