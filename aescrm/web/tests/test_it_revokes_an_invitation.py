"""Revoking an invitation kills its link at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import Invitation, User
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_a_revoked_link_says_it_was_withdrawn(clinic_a: Any) -> None:
    with account_mail() as postmark:
        invitation, path = invite(postmark, clinic_a, "gone@example.com", "marketer")
    manager = member_client(clinic_a, "manager")

    response = manager.post(f"/settings/team/invitations/{invitation.pk}/revoke", follow=True)

    assert "The invitation to gone@example.com is revoked; its link no longer works." in text(
        response
    )
    assert "No invitations waiting." in text(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Nobody is joining: the address is not kept.
    assert invitation.email == ""
    page = Client().get(path)
    assert page.status_code == 410
    assert "This invitation was withdrawn" in text(page)
    Client().post(path, {"full_name": "Gone Person", "password": NEW_PASSWORD})
    assert not User.objects.filter(email="gone@example.com").exists()


def test_an_accepted_invitation_cannot_be_revoked(clinic_a: Any) -> None:
    with account_mail() as postmark:
        invitation, path = invite(postmark, clinic_a, "in@example.com", "marketer")
    Client().post(path, {"full_name": "In Person", "password": NEW_PASSWORD})

    response = member_client(clinic_a, "owner").post(
        f"/settings/team/invitations/{invitation.pk}/revoke", follow=True
    )

    assert "That invitation has already been accepted: remove the member instead." in text(response)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
