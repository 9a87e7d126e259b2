"""The clinic's team: invitations by email, role changes and removals (docs/decisions/0029).

Rules every path here keeps, whoever calls (a member on the Team page or an API key):

- ``MEMBERS_MANAGE`` (owners and managers; the ``team:write`` scope) to change anything.
- Owners are owners' business: only a signed-in owner invites an owner, makes one, changes
  or removes one, or resends or revokes an owner's invitation. A manager or an API key
  cannot.
- A clinic always keeps an owner: the last one can be neither removed nor demoted.
- A removed member loses the clinic at once: their sessions in it end and every API key
  they made for it is revoked.
- Invitation links carry a random token; only its SHA-256 is stored. A link works once,
  for seven days; resending replaces the token, so the old link stops working.

Audit entries name the invitation or user by id and the roles involved, never an email
address (the actor's own label aside, as everywhere in the log).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.accounts.account_mail import AccountEmail, AccountMailError, send_account_email
from aescrm.accounts.caller import Caller
from aescrm.accounts.models import ApiKey, Clinic, Invitation, Membership, User
from aescrm.accounts.permissions import Perm, Role
from aescrm.accounts.services import membership_set
from aescrm.accounts.sessions import end_sessions_in_clinic
from aescrm.audit.services import audit_record
from aescrm.billing.limits import seat_check
from aescrm.core.problems import Conflict, NotFound, PermissionDenied, ValidationFailed

INVITATION_LIFETIME = dt.timedelta(days=7)


# ---------------------------------------------------------------------------
# Tokens and links
# ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_link(token: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/invitations/{token}"


# ---------------------------------------------------------------------------
# Who may touch whom
# ---------------------------------------------------------------------------


def _is_owner(caller: Caller) -> bool:
    return caller.role == Role.OWNER


def _require_owner(caller: Caller, why: str, field: str | None = None) -> None:
    if not _is_owner(caller):
        raise PermissionDenied(f"only an owner can {why}", field=field)


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationFailed(f"role must be one of {', '.join(Role.values)}", field="role")
    return role


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationFailed("enter the email address to send the invitation to", field="email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(f"{email[:254]!r} is not an email address", field="email") from exc
    if len(email) > 254:
        raise ValidationFailed("an email address is at most 254 characters", field="email")
    return email


def _clinic(caller: Caller) -> Clinic:
    return Clinic.objects.get(pk=caller.clinic_id)


def _member(caller: Caller, user_id: Any) -> Membership:
    """The caller's clinic's membership of ``user_id``; other clinics' members are not found."""
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError as exc:
        raise NotFound("no such member") from exc
    membership = (
        Membership.objects.select_related("user", "clinic")
        .filter(clinic_id=caller.clinic_id, user_id=uid)
        .first()
    )
    if membership is None:
        raise NotFound("no such member")
    return membership


def _invitation(caller: Caller, invitation_id: Any, *, lock: bool = False) -> Invitation:
    try:
        iid = uuid.UUID(str(invitation_id))
    except ValueError as exc:
        raise NotFound("no such invitation") from exc
    invitations = Invitation.objects.filter(clinic_id=caller.clinic_id, pk=iid)
    if lock:
        # Only the invitation's row: PostgreSQL cannot lock the outer-joined inviter.
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.select_related("clinic", "invited_by").first()
    if invitation is None:
        raise NotFound("no such invitation")
    return invitation


def _keep_an_owner(membership: Membership, field: str | None = None) -> None:
    """Refuse to take away the clinic's last owner. The owners' rows are locked first, so
    two owners demoting each other at once cannot both succeed."""
    if membership.role != Role.OWNER:
        return
    owners = list(
        Membership.objects.select_for_update()
        .filter(clinic_id=membership.clinic_id, role=Role.OWNER)
        .values_list("user_id", flat=True)
    )
    if [u for u in owners if u != membership.user_id]:
        return
    raise Conflict(
        "a clinic must always have an owner: make another member an owner first",
        field=field,
    )


# ---------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationSent:
    """The invitation, and whether its email was handed to Postmark (if not: resend)."""

    invitation: Invitation
    email_sent: bool
    problem: str = ""


def _send_invitation(invitation: Invitation, token: str) -> InvitationSent:
    clinic = invitation.clinic
    inviter = invitation.invited_by
    opening = (
        f"{inviter.full_name or inviter.email} has invited you"
        if inviter
        else "You have been invited"
    )
    expires = timezone.localtime(invitation.expires_at, clinic.tz)
    zone = "UK time" if clinic.timezone == "Europe/London" else clinic.timezone
    text = (
        f"{opening} to join {clinic.name} on AES-CRM as {invitation.get_role_display()}.\n\n"
        f"Accept the invitation:\n{invitation_link(token)}\n\n"
        f"The link works once and expires on {expires:%-d %B %Y at %H:%M} ({zone}). "
        "If it has expired, ask whoever invited you to send it again.\n\n"
        "If you were not expecting this email, you can ignore it: nothing happens unless "
        "you follow the link.\n"
    )
    try:
        send_account_email(
            AccountEmail(
                to=invitation.email,
                subject=f"You are invited to join {clinic.name} on AES-CRM",
                text=text,
            )
        )
    except AccountMailError as exc:
        return InvitationSent(invitation, email_sent=False, problem=str(exc))
    return InvitationSent(invitation, email_sent=True)


def invitation_create(
    *, caller: Caller, email: str, role: str, invited_by: User | None = None
) -> InvitationSent:
    """Invite ``email`` to the caller's clinic as ``role`` and email them the link."""
    caller.require(Perm.MEMBERS_MANAGE)
    email = _clean_email(email)
    role = _clean_role(role)
    if role == Role.OWNER:
        _require_owner(caller, "invite an owner", field="role")
    if Membership.objects.filter(clinic_id=caller.clinic_id, user__email__iexact=email).exists():
        raise Conflict(f"this clinic already has a member with the address {email}", field="email")
    clinic = _clinic(caller)
    # Every seat taken: say so now, not when the invitee follows the link (0033).
    seat_check(clinic)
    token, token_hash = _new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            waiting = (
                Invitation.objects.select_for_update()
                .filter(
                    clinic_id=clinic.pk,
                    email=email,
                    accepted_at__isnull=True,
                    revoked_at__isnull=True,
                )
                .first()
            )
            if waiting is not None:
                if not waiting.has_expired:
                    raise Conflict(
                        f"an invitation to {email} is already waiting: resend it instead",
                        field="email",
                    )
                # An expired invitation gives way to the new one.
                _close_revoked(waiting, now)
                audit_record(
                    "invitation.revoke",
                    object_type="invitation",
                    object_id=waiting.pk,
                    clinic_id=clinic.pk,
                    detail={"role": waiting.role, "reason": "expired, replaced by a new one"},
                )
            invitation = Invitation.objects.create(
                clinic=clinic,
                email=email,
                role=role,
                token_hash=token_hash,
                invited_by=invited_by,
                created_at=now,
                sent_at=now,
                expires_at=now + INVITATION_LIFETIME,
            )
            audit_record(
                "invitation.create",
                object_type="invitation",
                object_id=invitation.pk,
                clinic_id=clinic.pk,
                detail={"role": role},
            )
    except IntegrityError as exc:  # the same address invited twice at the same moment
        raise Conflict(
            f"an invitation to {email} is already waiting: resend it instead", field="email"
        ) from exc
    return _send_invitation(invitation, token)


def _close_revoked(invitation: Invitation, now: dt.datetime) -> None:
    """Revoke, and forget the address: nobody is joining, so it is no longer needed."""
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now, email="")
    invitation.revoked_at = now


def _refuse_unless_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise Conflict("that invitation has already been accepted")
    if invitation.revoked_at is not None:
        raise Conflict("that invitation was revoked: send a new one")


def invitation_resend(*, caller: Caller, invitation_id: Any) -> InvitationSent:
    """A new link (seven days from now) by email; the previous link stops working."""
    caller.require(Perm.MEMBERS_MANAGE)
    token, token_hash = _new_token()
    with transaction.atomic():
        invitation = _invitation(caller, invitation_id, lock=True)
        if invitation.role == Role.OWNER:
            _require_owner(caller, "resend an owner's invitation")
        _refuse_unless_open(invitation)
        now = timezone.now()
        invitation.token_hash = token_hash
        invitation.sent_at = now
        invitation.expires_at = now + INVITATION_LIFETIME
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        audit_record(
            "invitation.resend",
            object_type="invitation",
            object_id=invitation.pk,
            clinic_id=invitation.clinic_id,
            detail={"role": invitation.role},
        )
    return _send_invitation(invitation, token)


def invitation_revoke(*, caller: Caller, invitation_id: Any) -> Invitation:
    """The link stops working and the address is forgotten. Revoking a revoked invitation
    changes nothing."""
    caller.require(Perm.MEMBERS_MANAGE)
    with transaction.atomic():
        invitation = _invitation(caller, invitation_id, lock=True)
        if invitation.role == Role.OWNER:
            _require_owner(caller, "revoke an owner's invitation")
        if invitation.accepted_at is not None:
            raise Conflict("that invitation has already been accepted: remove the member instead")
        if invitation.revoked_at is not None:
            return invitation
        _close_revoked(invitation, timezone.now())
        audit_record(
            "invitation.revoke",
            object_type="invitation",
            object_id=invitation.pk,
            clinic_id=invitation.clinic_id,
            detail={"role": invitation.role},
        )
    return invitation


# ---------------------------------------------------------------------------
# Accepting an invitation (the invitee, from the emailed link)
# ---------------------------------------------------------------------------


class LinkState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"  # never issued, or replaced by a newer email
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class InvitationLink:
    state: LinkState
    invitation: Invitation | None = None
    # True when an account with the invited address exists: the invitee signs in as it.
    has_account: bool = False


def invitation_for_token(token: str) -> InvitationLink:
    """What a link leads to. Public: the token is the only credential."""
    if not token or len(token) > 100:
        return InvitationLink(LinkState.UNKNOWN)
    invitation = (
        Invitation.objects.select_related("clinic", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return InvitationLink(LinkState.UNKNOWN)
    if invitation.accepted_at is not None:
        state = LinkState.ACCEPTED
    elif invitation.revoked_at is not None:
        state = LinkState.REVOKED
    elif invitation.has_expired:
        state = LinkState.EXPIRED
    else:
        state = LinkState.OPEN
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    return InvitationLink(state, invitation, has_account)


class InvitationUnusable(Conflict):
    """The link has been used, revoked, replaced or has expired."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(_UNUSABLE[state], state=state.value)
        self.state = state


_UNUSABLE = {
    LinkState.UNKNOWN: "this invitation link is not valid: a newer one may have replaced it",
    LinkState.ACCEPTED: "this invitation has already been used",
    LinkState.REVOKED: "this invitation was withdrawn",
    LinkState.EXPIRED: "this invitation has expired",
}


def _open_invitation(token: str) -> Invitation:
    """The invitation of ``token``, locked, if it can still be accepted."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(token_hash=hash_token(token or ""))
        .select_related("clinic")
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(LinkState.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(LinkState.ACCEPTED)
    if invitation.revoked_at is not None:
        raise InvitationUnusable(LinkState.REVOKED)
    if invitation.has_expired:
        raise InvitationUnusable(LinkState.EXPIRED)
    return invitation


def _join(invitation: Invitation, user: User, *, new_account: bool) -> Membership:
    if Membership.objects.filter(clinic_id=invitation.clinic_id, user=user).exists():
        raise Conflict(f"you are already a member of {invitation.clinic.name}")
    membership = membership_set(clinic=invitation.clinic, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    # The member's account holds their address now; the invitation need not keep a copy
    # (which would outlive the account if they closed it).
    invitation.email = ""
    invitation.save(update_fields=["accepted_at", "accepted_by", "email"])
    audit_record(
        "invitation.accept",
        object_type="invitation",
        object_id=invitation.pk,
        clinic_id=invitation.clinic_id,
        detail={"role": invitation.role, "user_id": str(user.pk), "new_account": new_account},
    )
    return membership


def invitation_accept_as(*, token: str, user: User) -> Membership:
    """A signed-in user accepts an invitation sent to their own address."""
    with transaction.atomic():
        invitation = _open_invitation(token)
        if user.email.lower() != invitation.email.lower():
            raise PermissionDenied(
                "this invitation was sent to a different email address from the one you are "
                "signed in with"
            )
        return _join(invitation, user, new_account=False)


def invitation_accept_new(*, token: str, full_name: str, password: str) -> Membership:
    """Someone without an account accepts: the account is made with the invited address."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationFailed("enter your full name", field="full_name")
    if len(full_name) > 200:
        raise ValidationFailed("a name is at most 200 characters", field="full_name")
    with transaction.atomic():
        invitation = _open_invitation(token)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise Conflict(
                "an account with this email address already exists: sign in to accept",
                field="password",
            )
        candidate = User(email=invitation.email, full_name=full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
        audit_record(
            "account.create",
            object_type="user",
            object_id=user.pk,
            platform=True,
            detail={"via": "invitation"},
        )
        return _join(invitation, user, new_account=True)


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------


def member_role_change(*, caller: Caller, user_id: Any, role: str) -> Membership:
    caller.require(Perm.MEMBERS_MANAGE)
    role = _clean_role(role)
    with transaction.atomic():
        membership = _member(caller, user_id)
        if membership.role == Role.OWNER:
            _require_owner(caller, "change an owner's role", field="role")
        if role == Role.OWNER:
            _require_owner(caller, "make a member an owner", field="role")
        if membership.role == role:
            return membership
        if role != Role.OWNER:
            _keep_an_owner(membership, field="role")
        return membership_set(clinic=membership.clinic, user=membership.user, role=role)


@dataclass(frozen=True)
class Removal:
    api_keys_revoked: int
    sessions_ended: int


def member_remove(*, caller: Caller, user_id: Any) -> Removal:
    """Take the member out of the clinic: membership, their keys for it and their sessions
    in it end together. Their other clinics are untouched."""
    caller.require(Perm.MEMBERS_MANAGE)
    with transaction.atomic():
        membership = _member(caller, user_id)
        if membership.role == Role.OWNER:
            _require_owner(caller, "remove an owner")
            _keep_an_owner(membership)
        clinic_id, user = membership.clinic_id, membership.user
        now = timezone.now()
        keys = list(
            ApiKey.objects.filter(clinic_id=clinic_id, created_by=user, revoked_at__isnull=True)
        )
        for key in keys:
            ApiKey.objects.filter(pk=key.pk).update(revoked_at=now)
            audit_record(
                "api_key.revoke",
                object_type="api_key",
                object_id=key.pk,
                clinic_id=clinic_id,
                detail={"reason": "its maker was removed from the clinic"},
            )
        membership.delete()
        sessions = end_sessions_in_clinic(user.pk, clinic_id)
        audit_record(
            "membership.delete",
            object_type="user",
            object_id=user.pk,
            clinic_id=clinic_id,
            detail={
                "role": membership.role,
                "api_keys_revoked": len(keys),
                "sessions_ended": sessions,
            },
        )
    return Removal(api_keys_revoked=len(keys), sessions_ended=sessions)


# ---------------------------------------------------------------------------
# Reads for the Team page and the API
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    user: User
    role: str
    role_label: str
    joined_at: dt.datetime
    two_factor: bool
    last_sign_in: dt.datetime | None


def _rows(memberships: list[Membership]) -> list[MemberRow]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with_device = set(
        TOTPDevice.objects.filter(
            user_id__in=[m.user_id for m in memberships], confirmed=True
        ).values_list("user_id", flat=True)
    )
    return [
        MemberRow(
            user=m.user,
            role=m.role,
            role_label=m.get_role_display(),
            joined_at=m.created_at,
            two_factor=m.user_id in with_device,
            last_sign_in=m.user.last_login,
        )
        for m in memberships
    ]


def team_members(*, caller: Caller) -> list[MemberRow]:
    """The caller's clinic's members, owners first, then by name."""
    caller.require_any(Perm.MEMBERS_VIEW, Perm.MEMBERS_MANAGE)
    memberships = list(Membership.objects.filter(clinic_id=caller.clinic_id).select_related("user"))
    order = {role: index for index, role in enumerate(Role.values)}
    memberships.sort(
        key=lambda m: (order.get(m.role, 99), (m.user.full_name or m.user.email).lower())
    )
    return _rows(memberships)


def team_member(*, caller: Caller, user_id: Any) -> MemberRow:
    caller.require_any(Perm.MEMBERS_VIEW, Perm.MEMBERS_MANAGE)
    return _rows([_member(caller, user_id)])[0]


def team_invitations(*, caller: Caller) -> list[Invitation]:
    """Invitations not yet accepted or revoked, newest first (expired ones included, so
    they can be resent)."""
    caller.require_any(Perm.MEMBERS_VIEW, Perm.MEMBERS_MANAGE)
    return list(
        Invitation.objects.filter(
            clinic_id=caller.clinic_id, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def team_invitation(*, caller: Caller, invitation_id: Any) -> Invitation:
    caller.require_any(Perm.MEMBERS_VIEW, Perm.MEMBERS_MANAGE)
    return _invitation(caller, invitation_id)
