from django.urls import path

from aescrm.web import team_views

app_name = "team"

urlpatterns = [
    path("settings/team", team_views.team_page, name="list"),
    path(
        "settings/team/invitations/<uuid:invitation_id>/resend",
        team_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "settings/team/invitations/<uuid:invitation_id>/revoke",
        team_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("settings/team/members/<uuid:user_id>/role", team_views.member_role, name="member_role"),
    path(
        "settings/team/members/<uuid:user_id>/remove",
        team_views.member_remove,
        name="member_remove",
    ),
    # Public: the link in the invitation email.
    path("invitations/<str:token>", team_views.accept, name="accept"),
]
