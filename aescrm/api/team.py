"""The clinic's team over the API: members, roles and invitations (``team:read``/``team:write``).

A key never touches an owner: it cannot invite one, make one, or change or remove one
(docs/decisions/0029). Invitation tokens are never returned: the link goes only by email.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import Field

from aescrm.accounts import team
from aescrm.accounts.models import Invitation
from aescrm.accounts.permissions import Role
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean, ShortText, Strict

router = Router(tags=["team"])

ROLES = ", ".join(Role.values)


class MemberOut(Clean):
    user_id: uuid.UUID
    email: str
    full_name: str
    role: str
    two_factor: bool = Field(description="The member has a confirmed authenticator app.")
    last_sign_in: dt.datetime | None
    joined_at: dt.datetime


class InvitationOut(Clean):
    id: uuid.UUID
    email: str
    role: str
    status: str = Field(description="waiting or expired (accepted and revoked ones are gone)")
    invited_by: uuid.UUID | None
    created_at: dt.datetime
    sent_at: dt.datetime
    expires_at: dt.datetime


class InvitationSentOut(InvitationOut):
    email_sent: bool = Field(
        description="false: the invitation is saved but its email could not be sent; resend it"
    )


class InvitationIn(Strict):
    email: ShortText
    role: str = Field(description=f"One of {ROLES}. Only an owner (never a key) invites owners.")


class RoleIn(Strict):
    role: str = Field(description=f"One of {ROLES}.")


def _member(row: team.MemberRow) -> dict[str, Any]:
    return {
        "user_id": row.user.pk,
        "email": row.user.email,
        "full_name": row.user.full_name,
        "role": row.role,
        "two_factor": row.two_factor,
        "last_sign_in": row.last_sign_in,
        "joined_at": row.joined_at,
    }


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "status": "expired" if invitation.has_expired else "waiting",
        "invited_by": invitation.invited_by_id,
        "created_at": invitation.created_at,
        "sent_at": invitation.sent_at,
        "expires_at": invitation.expires_at,
    }


def _sent(sent: team.InvitationSent) -> dict[str, Any]:
    return {**_invitation(sent.invitation), "email_sent": sent.email_sent}


@router.get("/team/members", response={200: list[MemberOut], **ERRORS})
def list_members(request: HttpRequest) -> list[dict[str, Any]]:
    """The clinic's members, owners first."""
    return [_member(row) for row in team.team_members(caller=caller_of(request))]


@router.patch("/team/members/{user_id}", response={200: MemberOut, **ERRORS})
def change_role(request: HttpRequest, user_id: str, payload: RoleIn) -> dict[str, Any]:
    """Change a member's role. The last owner cannot be demoted."""
    caller = caller_of(request)
    team.member_role_change(caller=caller, user_id=user_id, role=payload.role)
    return _member(team.team_member(caller=caller, user_id=user_id))


@router.delete("/team/members/{user_id}", response={204: None, **ERRORS})
def remove_member(request: HttpRequest, user_id: str) -> HttpResponse:
    """Remove a member: their sessions in this clinic end and their keys for it are revoked."""
    team.member_remove(caller=caller_of(request), user_id=user_id)
    return HttpResponse(status=204)


@router.get("/team/invitations", response={200: list[InvitationOut], **ERRORS})
def list_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    """Invitations waiting (or expired) and not revoked, newest first."""
    return [_invitation(i) for i in team.team_invitations(caller=caller_of(request))]


@router.post("/team/invitations", response={201: InvitationSentOut, **ERRORS})
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[dict[str, Any]]:
    """Email an invitation link (valid seven days, once). The token is never returned."""
    sent = team.invitation_create(caller=caller_of(request), email=payload.email, role=payload.role)
    return Status(201, _sent(sent))


@router.post(
    "/team/invitations/{invitation_id}/resend", response={200: InvitationSentOut, **ERRORS}
)
def resend_invitation(request: HttpRequest, invitation_id: str) -> dict[str, Any]:
    """Email a new link, valid seven days from now; the previous link stops working."""
    return _sent(team.invitation_resend(caller=caller_of(request), invitation_id=invitation_id))


@router.delete("/team/invitations/{invitation_id}", response={204: None, **ERRORS})
def revoke_invitation(request: HttpRequest, invitation_id: str) -> HttpResponse:
    """Revoke an invitation: its link stops working."""
    team.invitation_revoke(caller=caller_of(request), invitation_id=invitation_id)
    return HttpResponse(status=204)
