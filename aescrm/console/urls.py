from django.urls import path

from aescrm.console import views

app_name = "console"

urlpatterns = [
    path("platform/", views.dashboard, name="dashboard"),
    path("platform/clinics/", views.clinics, name="clinics"),
    path("platform/clinics/<uuid:clinic_id>/", views.clinic, name="clinic"),
]
