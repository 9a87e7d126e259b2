"""/api/v1/team: members and invitations with team:read and team:write. A key never touches
an owner; another clinic's ids are 404 and change nothing; the token is never returned."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.services import api_key_create
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, link_in
from aescrm.api.tests.helpers import assert_problem
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def _key(world: Any, *scopes: str) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="team tool", scopes=list(scopes))
    return ApiClient(secret)


def test_it_lists_members_with_role_and_two_factor(clinic_a: Any) -> None:
    response = _key(clinic_a, "team:read").get("/api/v1/team/members")

    assert response.status_code == 200
    members = response.json()
    assert [m["role"] for m in members] == [
        "owner",
        "manager",
        "clinician",
        "receptionist",
        "marketer",
        "auditor",
    ]
    assert members[0] == {
        "user_id": str(clinic_a.users["owner"].pk),
        "email": "owner@alpha.test",
        "full_name": "",
        "role": "owner",
        "two_factor": False,
        "last_sign_in": None,
        "joined_at": members[0]["joined_at"],
    }


def test_it_invites_and_the_emailed_link_works(clinic_a: Any) -> None:
    api = _key(clinic_a, "team:read", "team:write")
    with account_mail() as postmark:
        response = api.post(
            "/api/v1/team/invitations", {"email": "Desk@Example.com", "role": "receptionist"}
        )

        [email] = postmark.sent_to("desk@example.com")
    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get(clinic=clinic_a.clinic)
    assert set(body) == {
        "id",
        "email",
        "role",
        "status",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "email_sent",
    }
    assert (body["id"], body["email"], body["role"], body["status"]) == (
        str(invitation.pk),
        "desk@example.com",
        "receptionist",
        "waiting",
    )
    assert body["invited_by"] is None and body["email_sent"] is True
    token = link_in(email).rsplit("/", 1)[1]
    assert token not in response.content.decode()
    assert (
        "You have been invited to join Alpha Dental on AES-CRM as Receptionist."
        in (email["TextBody"])
    )
    listed = api.get("/api/v1/team/invitations").json()
    assert [i["id"] for i in listed] == [str(invitation.pk)]
    assert token not in str(listed)

    Client().post(link_in(email), {"full_name": "Desk Person", "password": NEW_PASSWORD})
    assert Membership.objects.get(user__email="desk@example.com").role == "receptionist"


def test_it_resends_and_revokes(clinic_a: Any) -> None:
    api = _key(clinic_a, "team:write")
    with account_mail() as postmark:
        created = api.post(
            "/api/v1/team/invitations", {"email": "r@example.com", "role": "clinician"}
        ).json()
        resent = api.post(f"/api/v1/team/invitations/{created['id']}/resend")
        first, second = postmark.sent_to("r@example.com")

    assert resent.status_code == 200 and resent.json()["email_sent"] is True
    assert link_in(first) != link_in(second)
    assert Client().get(link_in(first)).status_code == 404
    revoked = api.delete(f"/api/v1/team/invitations/{created['id']}")
    assert revoked.status_code == 204
    assert Client().get(link_in(second)).status_code == 410


def test_it_changes_a_role_and_removes_a_member(clinic_a: Any) -> None:
    api = _key(clinic_a, "team:write", "team:read")
    clinician = clinic_a.users["clinician"]

    changed = api.patch(f"/api/v1/team/members/{clinician.pk}", {"role": "auditor"})
    removed = api.delete(f"/api/v1/team/members/{clinic_a.users['marketer'].pk}")

    assert changed.status_code == 200
    assert changed.json()["role"] == "auditor"
    assert removed.status_code == 204
    roles = {m["email"]: m["role"] for m in api.get("/api/v1/team/members").json()}
    assert roles["clinician@alpha.test"] == "auditor"
    assert "marketer@alpha.test" not in roles


def test_a_key_never_touches_an_owner(clinic_a: Any) -> None:
    api = _key(clinic_a, "team:write")
    owner = clinic_a.users["owner"]

    with account_mail() as postmark:
        invited = api.post("/api/v1/team/invitations", {"email": "o@example.com", "role": "owner"})
        assert postmark.messages == []
    promoted = api.patch(f"/api/v1/team/members/{clinic_a.users['manager'].pk}", {"role": "owner"})
    demoted = api.patch(f"/api/v1/team/members/{owner.pk}", {"role": "manager"})
    removed = api.delete(f"/api/v1/team/members/{owner.pk}")

    assert assert_problem(invited, 403, "role")["detail"] == "only an owner can invite an owner"
    assert_problem(promoted, 403, "role")
    assert_problem(demoted, 403, "role")
    assert_problem(removed, 403)
    assert Membership.objects.get(user=owner, clinic=clinic_a.clinic).role == "owner"
    assert not Invitation.objects.exists()


def test_bad_input_names_the_field(clinic_a: Any) -> None:
    api = _key(clinic_a, "team:write")

    bad_role = api.post("/api/v1/team/invitations", {"email": "a@example.com", "role": "boss"})
    bad_email = api.post("/api/v1/team/invitations", {"email": "nope", "role": "clinician"})
    missing = api.post("/api/v1/team/invitations", {"role": "clinician"})
    bad_patch = api.patch(
        f"/api/v1/team/members/{clinic_a.users['clinician'].pk}", {"role": "king"}
    )

    assert "role must be one of owner, manager" in assert_problem(bad_role, 422, "role")["detail"]
    assert_problem(bad_email, 422, "email")
    assert_problem(missing, 422, "email")
    assert_problem(bad_patch, 422, "role")
    assert not Invitation.objects.exists()


def test_a_key_without_the_scopes_gets_403(clinic_a: Any) -> None:
    reader = _key(clinic_a, "team:read")
    other = _key(clinic_a, "patients:read")
    target = clinic_a.users["clinician"]

    assert_problem(other.get("/api/v1/team/members"), 403)
    assert_problem(
        reader.post("/api/v1/team/invitations", {"email": "a@example.com", "role": "clinician"}),
        403,
    )
    assert_problem(reader.patch(f"/api/v1/team/members/{target.pk}", {"role": "auditor"}), 403)
    assert_problem(reader.delete(f"/api/v1/team/members/{target.pk}"), 403)
    assert Membership.objects.get(user=target, clinic=clinic_a.clinic).role == "clinician"


def test_another_clinics_key_gets_404_and_changes_nothing(clinic_a: Any, clinic_b: Any) -> None:
    with account_mail():
        created = (
            _key(clinic_a, "team:write")
            .post("/api/v1/team/invitations", {"email": "a.only@example.com", "role": "clinician"})
            .json()
        )
    outsider = clinic_b.api()
    member = clinic_a.users["receptionist"]

    responses = [
        outsider.delete(f"/api/v1/team/invitations/{created['id']}"),
        outsider.post(f"/api/v1/team/invitations/{created['id']}/resend"),
        outsider.patch(f"/api/v1/team/members/{member.pk}", {"role": "auditor"}),
        outsider.delete(f"/api/v1/team/members/{member.pk}"),
        outsider.delete("/api/v1/team/members/not-a-uuid"),
    ]

    for response in responses:
        assert_problem(response, 404)
    assert Invitation.objects.get(pk=created["id"]).is_open
    assert Membership.objects.get(user=member, clinic=clinic_a.clinic).role == "receptionist"
    emails = [m["email"] for m in outsider.get("/api/v1/team/members").json()]
    assert "receptionist@alpha.test" not in emails
    assert outsider.get("/api/v1/team/invitations").json() == []
