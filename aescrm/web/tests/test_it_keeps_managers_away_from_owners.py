"""Owners are owners' business: a manager cannot invite one, make one, change or remove one."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.tests.team_support import account_mail, invite
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_a_manager_is_not_offered_the_owner_role(clinic_a: Any) -> None:
    page = text(member_client(clinic_a, "manager").get("/settings/team"))
    owner_page = text(member_client(clinic_a, "owner").get("/settings/team"))

    assert '<option value="owner"' not in page
    assert "Only an owner can invite another owner." in page
    assert '<option value="owner"' in owner_page


def test_a_manager_cannot_invite_an_owner(clinic_a: Any) -> None:
    with account_mail() as postmark:
        response = member_client(clinic_a, "manager").post(
            "/settings/team", {"email": "boss@example.com", "role": "owner"}
        )

        assert postmark.messages == []
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_manager_cannot_change_or_remove_an_owner(clinic_a: Any) -> None:
    owner = clinic_a.users["owner"]
    manager = member_client(clinic_a, "manager")

    changed = manager.post(
        f"/settings/team/members/{owner.pk}/role", {"role": "receptionist"}, follow=True
    )
    removed = manager.post(f"/settings/team/members/{owner.pk}/remove")

    assert "Only an owner can change an owner&#x27;s role." in text(changed)
    assert removed.status_code == 403
    assert "Only an owner can remove an owner." in text(removed)
    assert Membership.objects.get(user=owner, clinic=clinic_a.clinic).role == "owner"


def test_a_manager_cannot_make_anyone_an_owner(clinic_a: Any) -> None:
    clinician = clinic_a.users["clinician"]
    manager = clinic_a.users["manager"]
    client = member_client(clinic_a, "manager")

    client.post(f"/settings/team/members/{clinician.pk}/role", {"role": "owner"})
    client.post(f"/settings/team/members/{manager.pk}/role", {"role": "owner"})

    assert Membership.objects.get(user=clinician, clinic=clinic_a.clinic).role == "clinician"
    assert Membership.objects.get(user=manager, clinic=clinic_a.clinic).role == "manager"


def test_a_manager_leaves_an_owners_invitation_alone(clinic_a: Any) -> None:
    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "co-owner@example.com", "owner")
        client = member_client(clinic_a, "manager")

        client.post(f"/settings/team/invitations/{invitation.pk}/resend")
        client.post(f"/settings/team/invitations/{invitation.pk}/revoke")

        assert len(postmark.sent_to("co-owner@example.com")) == 1
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
