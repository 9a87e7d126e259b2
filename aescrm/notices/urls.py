from django.urls import path

from aescrm.notices import views

app_name = "notices"

urlpatterns = [
    path("p/<str:public_key>/privacy", views.privacy_notice, name="privacy"),
    path("p/<str:public_key>/ai", views.ai_notice, name="ai"),
    path("settings/notices", views.notices_settings, name="settings"),
    path("settings/notices/<str:notice>/<str:section>", views.section_save, name="section_save"),
    path(
        "settings/notices/<str:notice>/<str:section>/reset",
        views.section_reset,
        name="section_reset",
    ),
    path("settings/records-of-processing", views.processing_record, name="records"),
    path(
        "platform/records-of-processing",
        views.platform_processing_record,
        name="platform_records",
    ),
]
