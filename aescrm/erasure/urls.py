"""Staff pages for erasing a patient (/patients/<id>/erase, /erasures/<id>/)."""

from django.urls import path

from aescrm.erasure import views

app_name = "erasure"

urlpatterns = [
    path("patients/<uuid:patient_id>/erase", views.erasure_plan, name="plan"),
    path("erasures/<uuid:erasure_id>/", views.erasure_done, name="done"),
]
