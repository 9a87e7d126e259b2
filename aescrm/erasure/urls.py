"""Staff pages for erasing a patient (/patients/<id>/erase, /erasures/<id>/)."""

from django.urls import path

from aescrm.erasure import suppression_views, views

app_name = "erasure"

urlpatterns = [
    path("patients/<uuid:patient_id>/erase", views.erasure_plan, name="plan"),
    path("erasures/<uuid:erasure_id>/", views.erasure_done, name="done"),
    path("privacy/suppressions/", suppression_views.suppression_list, name="suppressions"),
    path(
        "privacy/suppressions/<uuid:suppression_id>/lift",
        suppression_views.suppression_lift,
        name="suppression_lift",
    ),
]
