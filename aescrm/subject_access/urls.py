from django.urls import path

from aescrm.subject_access import views

app_name = "subject_access"

urlpatterns = [
    path("patients/<uuid:patient_id>/export", views.export_start, name="start"),
    path("privacy/exports/", views.export_list, name="list"),
    path("privacy/exports/<uuid:export_id>/link", views.export_link, name="link"),
    path("exports/download/<str:token>", views.download, name="download"),
    path("settings/export", views.clinic_export, name="clinic"),
    path("settings/export/<uuid:export_id>/link", views.clinic_export_link, name="clinic_link"),
]
