"""Settings → Team (members, invitations) and the public page an invitation link opens.

The rules (who may touch owners, the last owner, what removal ends) live in
``aescrm.accounts.team``; these views parse, call and render. Every lookup is in
the member's clinic, so another clinic's member or invitation is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts import team
from aescrm.accounts.middleware import SESSION_CLINIC_KEY
from aescrm.accounts.models import ApiKey, Invitation, User
from aescrm.accounts.permissions import Perm, Role
from aescrm.audit.services import audit_record
from aescrm.core.problems import DomainError
from aescrm.web.access import _two_factor_pending, member_required
from aescrm.web.helpers import caller_of, clinic_of
from aescrm.web.team_forms import ROLE_HINTS, AcceptForm, InviteForm, RoleForm, role_choices


def _sentence(detail: str) -> str:
    return detail[:1].upper() + detail[1:] + ("" if detail.endswith(".") else ".")


def _expiry(invitation: Invitation) -> str:
    return f"{timezone.localtime(invitation.expires_at):%-d %B %Y at %H:%M}"


def _report_sending(request: HttpRequest, sent: team.InvitationSent, verb: str) -> None:
    invitation = sent.invitation
    if sent.email_sent:
        messages.success(
            request,
            f"Invitation {verb} to {invitation.email} as {invitation.get_role_display()}. "
            f"The link works until {_expiry(invitation)}.",
        )
    else:
        messages.warning(
            request,
            f"The invitation to {invitation.email} is saved, but the email could not be "
            "sent. Check the address, then use Resend.",
        )


@member_required(Perm.MEMBERS_MANAGE)
@require_http_methods(["GET", "POST"])
def team_page(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    is_owner = caller.role == Role.OWNER
    form = InviteForm(request.POST or None, include_owner=is_owner)
    if request.method == "POST" and form.is_valid():
        try:
            sent = team.invitation_create(
                caller=caller,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _report_sending(request, sent, "sent")
            return redirect("team:list")
    members = team.team_members(caller=caller)
    owners = sum(1 for m in members if m.role == Role.OWNER)
    rows = [
        {
            "member": m,
            # A manager leaves owners alone; the last owner stays an owner.
            "may_change": is_owner or m.role != Role.OWNER,
            "last_owner": m.role == Role.OWNER and owners == 1,
            "is_me": m.user.pk == request.user.pk,
        }
        for m in members
    ]
    return render(
        request,
        "web/team/team.html",
        {
            "form": form,
            "rows": rows,
            "invitations": team.team_invitations(caller=caller),
            "role_choices": role_choices(include_owner=is_owner),
            "role_hints": [(r.label, ROLE_HINTS[r]) for r in Role],
            "is_owner": is_owner,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@member_required(Perm.MEMBERS_MANAGE)
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    try:
        sent = team.invitation_resend(caller=caller_of(request), invitation_id=invitation_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _sentence(exc.detail))
    else:
        _report_sending(request, sent, "sent again")
    return redirect("team:list")


@member_required(Perm.MEMBERS_MANAGE)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    caller = caller_of(request)
    # The address, for the message: revoking forgets it.
    address = team.team_invitation(caller=caller, invitation_id=invitation_id).email
    try:
        team.invitation_revoke(caller=caller, invitation_id=invitation_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _sentence(exc.detail))
    else:
        to = f" to {address}" if address else ""  # blank: it was already revoked
        messages.success(request, f"The invitation{to} is revoked; its link no longer works.")
    return redirect("team:list")


@member_required(Perm.MEMBERS_MANAGE)
@require_POST
def member_role(request: HttpRequest, user_id: Any) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("team:list")
    try:
        membership = team.member_role_change(
            caller=caller_of(request), user_id=user_id, role=form.cleaned_data["role"]
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _sentence(exc.detail))
    else:
        messages.success(
            request, f"The role of {membership.user} is now {membership.get_role_display()}."
        )
    return redirect("team:list")


@member_required(Perm.MEMBERS_MANAGE)
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, user_id: Any) -> HttpResponse:
    """GET asks to confirm (saying what ends with the membership); POST removes."""
    caller = caller_of(request)
    member = team.team_member(caller=caller, user_id=user_id)
    error, status = "", 200
    if request.method == "POST":
        try:
            removal = team.member_remove(caller=caller, user_id=user_id)
        except DomainError as exc:
            if exc.status == 404:
                raise
            error, status = _sentence(exc.detail), exc.status
        else:
            keys = removal.api_keys_revoked
            messages.success(
                request,
                f"{member.user} is no longer a member of {clinic_of(request).name}."
                + (f" {keys} API key{'s' if keys != 1 else ''} they made revoked." if keys else ""),
            )
            if member.user.pk == request.user.pk:
                return redirect("web:login")
            return redirect("team:list")
    keys = ApiKey.objects.filter(
        clinic_id=caller.clinic_id, created_by_id=member.user.pk, revoked_at__isnull=True
    ).count()
    return render(
        request,
        "web/team/remove.html",
        {"member": member, "live_keys": keys, "error": error},
        status=status,
    )


# ---------------------------------------------------------------------------
# The invitation link (public: the token is the credential)
# ---------------------------------------------------------------------------

LINK_STATUS = {
    team.LinkState.UNKNOWN: 404,
    team.LinkState.ACCEPTED: 410,
    team.LinkState.REVOKED: 410,
    team.LinkState.EXPIRED: 410,
}


def _unusable(request: HttpRequest, link: team.InvitationLink) -> HttpResponse:
    return render(
        request,
        "web/team/link_unusable.html",
        {"state": link.state.value, "invitation": link.invitation},
        status=LINK_STATUS[link.state],
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    link = team.invitation_for_token(token)
    if link.state != team.LinkState.OPEN or link.invitation is None:
        return _no_store(_unusable(request, link))
    invitation = link.invitation
    here = reverse("team:accept", args=[token])
    context: dict[str, Any] = {"invitation": invitation, "here": here}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["mode"] = "other_account"
            return _no_store(render(request, "web/team/accept.html", context, status=403))
        if _two_factor_pending(request):
            return redirect(f"{reverse('web:two_factor')}?next={here}")
        context["mode"] = "join"
        if request.method == "POST":
            try:
                membership = team.invitation_accept_as(token=token, user=user)
            except team.InvitationUnusable as exc:
                return _no_store(_unusable(request, team.InvitationLink(exc.state, invitation)))
            except DomainError as exc:
                context["error"] = _sentence(exc.detail)
                return _no_store(render(request, "web/team/accept.html", context, status=409))
            return _joined(request, membership.clinic_id, membership.clinic.name)
        return _no_store(render(request, "web/team/accept.html", context))
    if link.has_account:
        context["mode"] = "sign_in"
        context["sign_in_url"] = f"{reverse('web:login')}?next={here}"
        return _no_store(render(request, "web/team/accept.html", context))
    context["mode"] = "new_account"
    form = AcceptForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            membership = team.invitation_accept_new(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except team.InvitationUnusable as exc:
            return _no_store(_unusable(request, team.InvitationLink(exc.state, invitation)))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            new_user: User = membership.user
            new_user.backend = "aescrm.accounts.backends.EmailBackend"  # type: ignore[attr-defined]
            login(request, new_user)
            audit_record(
                "auth.login.success",
                object_type="user",
                object_id=new_user.pk,
                platform=True,
                detail={"actor": new_user.email, "via": "invitation"},
            )
            return _joined(request, membership.clinic_id, membership.clinic.name)
    status = 400 if form.errors else 200
    return _no_store(render(request, "web/team/accept.html", context, status=status))


def _joined(request: HttpRequest, clinic_id: Any, clinic_name: str) -> HttpResponse:
    """Open the clinic just joined; owners and managers set up two-factor first."""
    request.session[SESSION_CLINIC_KEY] = str(clinic_id)
    messages.success(request, f"Welcome to {clinic_name}.")
    dashboard = reverse("web:dashboard")
    if _two_factor_pending(request):
        return redirect(f"{reverse('web:two_factor')}?next={dashboard}")
    return redirect(dashboard)
