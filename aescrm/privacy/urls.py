"""Staff pages of the privacy requests register (/privacy/…)."""

from django.urls import path

from aescrm.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.request_list, name="list"),
    path("privacy/new", views.request_new, name="new"),
    path("privacy/<uuid:request_id>/", views.request_detail, name="detail"),
    path("privacy/<uuid:request_id>/identity", views.identity, name="identity"),
    path("privacy/<uuid:request_id>/extend", views.extend, name="extend"),
    path("privacy/<uuid:request_id>/note", views.note, name="note"),
    path("privacy/<uuid:request_id>/complete", views.complete, name="complete"),
    path("privacy/<uuid:request_id>/refuse", views.refuse, name="refuse"),
    path("privacy/<uuid:request_id>/withdraw", views.withdraw, name="withdraw"),
]
