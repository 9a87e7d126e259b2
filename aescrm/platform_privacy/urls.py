from django.urls import path

from aescrm.platform_privacy import request_views, views

app_name = "platform_privacy"

urlpatterns = [
    path("account/", views.account_page, name="account"),
    path("account/export.json", views.account_export, name="account_export"),
    path("account/close", views.account_close, name="account_close"),
    path("settings/support-access", views.support_access, name="support_access"),
    path(
        "settings/support-access/<uuid:grant_id>/approve",
        views.support_approve,
        name="support_approve",
    ),
    path("settings/support-access/<uuid:grant_id>/deny", views.support_deny, name="support_deny"),
    path(
        "settings/support-access/<uuid:grant_id>/revoke",
        views.support_revoke,
        name="support_revoke",
    ),
    path("platform/support", views.staff_support, name="staff_support"),
    path("platform/support/<uuid:grant_id>/open", views.staff_support_open, name="support_open"),
    path("platform/support/leave", views.staff_support_leave, name="support_leave"),
    path("platform/privacy-requests", request_views.request_list, name="requests"),
    path("platform/privacy-requests/new", request_views.request_new, name="request_new"),
    path(
        "platform/privacy-requests/<uuid:request_id>/",
        request_views.request_detail,
        name="request_detail",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/identity",
        request_views.identity,
        name="request_identity",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/extend",
        request_views.extend,
        name="request_extend",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/note",
        request_views.note,
        name="request_note",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/complete",
        request_views.complete,
        name="request_complete",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/refuse",
        request_views.refuse,
        name="request_refuse",
    ),
    path(
        "platform/privacy-requests/<uuid:request_id>/withdraw",
        request_views.withdraw,
        name="request_withdraw",
    ),
]
