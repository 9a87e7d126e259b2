"""Every change to the team is in the clinic's audit log, naming invitations and people by id
and roles, never by email address (the actor's own label aside, as everywhere in the log)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aescrm.accounts import team
from aescrm.accounts.models import User
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite, link_in
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped

pytestmark = pytest.mark.django_db


def test_each_change_leaves_an_entry_without_addresses(clinic_a: Any) -> None:
    owner = clinic_a.caller("owner")
    with account_mail() as postmark:
        joining, _ = invite(postmark, clinic_a, "joiner@example.com", "clinician")
        dropped, _ = invite(postmark, clinic_a, "dropped@example.com", "marketer")
        team.invitation_resend(caller=owner, invitation_id=joining.pk)
        team.invitation_revoke(caller=owner, invitation_id=dropped.pk)
        path = link_in(postmark.sent_to("joiner@example.com")[-1])
    Client().post(path, {"full_name": "Joiner", "password": NEW_PASSWORD})
    joiner = User.objects.get(email="joiner@example.com")
    team.member_role_change(caller=owner, user_id=joiner.pk, role="receptionist")
    team.member_remove(caller=owner, user_id=joiner.pk)

    with unscoped("test: the team's entries on both chains"):
        entries = list(
            AuditEntry.all_chains.filter(
                action__in=[
                    "invitation.create",
                    "invitation.resend",
                    "invitation.revoke",
                    "invitation.accept",
                    "membership.create",
                    "membership.role_change",
                    "membership.delete",
                    "account.create",
                ]
            )
            .exclude(
                action="membership.create",
                object_id__in=[str(u.pk) for u in clinic_a.users.values()],
            )
            .order_by("occurred_at", "id")
        )
    assert [(e.action, e.object_id) for e in entries] == [
        ("invitation.create", str(joining.pk)),
        ("invitation.create", str(dropped.pk)),
        ("invitation.resend", str(joining.pk)),
        ("invitation.revoke", str(dropped.pk)),
        ("account.create", str(joiner.pk)),
        ("membership.create", str(joiner.pk)),
        ("invitation.accept", str(joining.pk)),
        ("membership.role_change", str(joiner.pk)),
        ("membership.delete", str(joiner.pk)),
    ]
    assert entries[0].detail == {"role": "clinician"}
    assert entries[6].detail == {
        "role": "clinician",
        "user_id": str(joiner.pk),
        "new_account": True,
    }
    assert {e.clinic_id for e in entries if e.action != "account.create"} == {clinic_a.clinic.pk}
    for entry in entries:
        recorded = json.dumps(entry.detail) + entry.object_id
        assert "@" not in recorded, entry.action
        assert "joiner" not in recorded.lower() and "dropped" not in recorded.lower()
