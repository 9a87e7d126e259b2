from django.urls import path

from aescrm.retention import views

app_name = "retention"

urlpatterns = [
    path("settings/retention", views.retention_settings, name="settings"),
    path("settings/retention/hold", views.clinic_hold_place, name="clinic_hold"),
    path("settings/retention/holds/<uuid:hold_id>/lift", views.hold_lift, name="hold_lift"),
    path("settings/retention/policies/<slug:category>", views.policy_set, name="policy_set"),
    path("patients/<uuid:patient_id>/legal-hold", views.patient_hold, name="patient_hold"),
]
