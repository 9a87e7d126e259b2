"""The Team page and its actions are for owners and managers: other roles get 403 and the
menu does not offer it to them."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.tests.team_support import account_mail, invite
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

OTHERS = ["clinician", "receptionist", "marketer", "auditor"]


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_403_and_change_nothing(clinic_a: Any, role: str) -> None:
    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "waiting@example.com", "clinician")
        client = member_client(clinic_a, role)
        target = clinic_a.users["marketer" if role != "marketer" else "clinician"]

        responses = [
            client.get("/settings/team"),
            client.post("/settings/team", {"email": "x@example.com", "role": "clinician"}),
            client.post(f"/settings/team/invitations/{invitation.pk}/resend"),
            client.post(f"/settings/team/invitations/{invitation.pk}/revoke"),
            client.post(f"/settings/team/members/{target.pk}/role", {"role": "auditor"}),
            client.post(f"/settings/team/members/{target.pk}/remove"),
        ]

        assert len(postmark.messages) == 1
    assert [r.status_code for r in responses] == [403] * 6
    assert Invitation.objects.filter(clinic=clinic_a.clinic).count() == 1
    assert Membership.objects.filter(clinic=clinic_a.clinic).count() == 6
    assert 'href="/settings/team"' not in text(client.get("/"))


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_owners_and_managers_find_it_in_the_menu(clinic_a: Any, role: str) -> None:
    client = member_client(clinic_a, role)

    assert 'href="/settings/team"' in text(client.get("/"))
    page = client.get("/settings/team")
    assert page.status_code == 200
    assert '<a href="/settings/team" aria-current="page">Team</a>' in text(page)
