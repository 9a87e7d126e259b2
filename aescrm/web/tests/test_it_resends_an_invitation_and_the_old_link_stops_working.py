"""Resend: a new email with a new link, valid seven days from now; the old link is dead."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite, link_in
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_resending_replaces_the_link(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    with account_mail() as postmark:
        invitation, old_path = invite(postmark, clinic_a, "again@example.com", "clinician")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(days=1)
        )

        response = owner.post(f"/settings/team/invitations/{invitation.pk}/resend", follow=True)

        _first, second = postmark.sent_to("again@example.com")
    new_path = link_in(second)
    assert new_path != old_path
    assert "Invitation sent again to again@example.com as Clinician." in text(response)
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6, hours=23)

    old = Client().get(old_path)
    assert old.status_code == 404
    assert "This invitation link is not valid" in text(old)
    assert "use the link in the most recent email" in text(old)
    Client().post(old_path, {"full_name": "Old Link", "password": NEW_PASSWORD})
    assert not Membership.objects.filter(user__email="again@example.com").exists()

    joined = Client().post(new_path, {"full_name": "New Link", "password": NEW_PASSWORD})
    assert joined.status_code == 302
    assert Membership.objects.get(user__email="again@example.com").role == "clinician"


def test_a_used_or_revoked_invitation_is_not_resent(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "stop@example.com", "clinician")
        owner.post(f"/settings/team/invitations/{invitation.pk}/revoke")

        response = owner.post(f"/settings/team/invitations/{invitation.pk}/resend", follow=True)

        assert len(postmark.sent_to("stop@example.com")) == 1
    assert "That invitation was revoked: send a new one." in text(response)
