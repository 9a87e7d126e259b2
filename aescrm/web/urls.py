from django.urls import path

from aescrm.web import auth_views, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-in", auth_views.sign_in, name="login"),
    path("sign-in/two-factor", auth_views.two_factor, name="two_factor"),
    path("sign-out", auth_views.sign_out, name="logout"),
    path("switch-clinic", auth_views.switch_clinic, name="switch_clinic"),
    # Placeholders filled in by the pages below; names are used by the navigation.
    path("patients/", views.dashboard, name="patients"),
    path("enquiries/", views.dashboard, name="enquiries"),
    path("calendar/", views.dashboard, name="calendar"),
    path("audit/", views.dashboard, name="audit"),
    path("settings/api-keys", views.dashboard, name="api_keys"),
]
