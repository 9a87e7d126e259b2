"""A member of another clinic gets 404 for this clinic's members and invitations, and
nothing changes; this clinic's team page lists only its own people."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.tests.team_support import account_mail, invite
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_bravos_owner_cannot_reach_alphas_team(clinic_a: Any, clinic_b: Any) -> None:
    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "alpha.new@example.com", "clinician")
        outsider = member_client(clinic_b, "owner")
        member = clinic_a.users["receptionist"]

        responses = [
            outsider.post(f"/settings/team/invitations/{invitation.pk}/resend"),
            outsider.post(f"/settings/team/invitations/{invitation.pk}/revoke"),
            outsider.post(f"/settings/team/members/{member.pk}/role", {"role": "auditor"}),
            outsider.get(f"/settings/team/members/{member.pk}/remove"),
            outsider.post(f"/settings/team/members/{member.pk}/remove"),
        ]

        assert len(postmark.sent_to("alpha.new@example.com")) == 1
    assert [r.status_code for r in responses] == [404] * 5
    invitation.refresh_from_db()
    assert invitation.is_open
    assert Membership.objects.get(user=member, clinic=clinic_a.clinic).role == "receptionist"


def test_the_team_page_lists_only_this_clinics_people(clinic_a: Any, clinic_b: Any) -> None:
    with account_mail() as postmark:
        invite(postmark, clinic_b, "bravo.new@example.com", "clinician")

    page = text(member_client(clinic_a, "owner").get("/settings/team"))

    assert "receptionist@alpha.test" in page
    assert "receptionist@bravo.test" not in page
    assert "bravo.new@example.com" not in page
    assert Invitation.objects.filter(clinic=clinic_a.clinic).count() == 0
