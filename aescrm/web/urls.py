from django.urls import path

from aescrm.assistant import settings_views as assistant_views
from aescrm.messaging import settings_views as messaging_settings_views
from aescrm.pipeline import views as pipeline_views
from aescrm.reports import views as report_views
from aescrm.scheduling import views as scheduling_views
from aescrm.templating import views as template_views
from aescrm.web import (
    auth_views,
    calendar_views,
    catalogue_views,
    conversion_views,
    message_views,
    patient_views,
    signup_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-in", auth_views.sign_in, name="login"),
    path("sign-in/two-factor", auth_views.two_factor, name="two_factor"),
    path("sign-out", auth_views.sign_out, name="logout"),
    path("switch-clinic", auth_views.switch_clinic, name="switch_clinic"),
    path("signup", signup_views.signup, name="signup"),
    path("signup/sent", signup_views.signup_sent, name="signup_sent"),
    path("signup/verify/<str:token>", signup_views.signup_verify_view, name="signup_verify"),
    path("onboarding", signup_views.onboarding, name="onboarding"),
    path("patients/", patient_views.patient_list, name="patients"),
    path("patients/new", patient_views.patient_create, name="patient_new"),
    path("patients/<uuid:patient_id>/", patient_views.patient_detail, name="patient"),
    path("patients/<uuid:patient_id>/edit", patient_views.patient_edit, name="patient_edit"),
    path("patients/<uuid:patient_id>/notes", patient_views.note_add, name="patient_note"),
    path("patients/<uuid:patient_id>/rights", patient_views.patient_rights, name="patient_rights"),
    path(
        "patients/<uuid:patient_id>/measurement",
        patient_views.patient_measurement,
        name="patient_measurement",
    ),
    path("enquiries/", views.enquiry_list, name="enquiries"),
    path("pipeline/", pipeline_views.board, name="pipeline"),
    path("pipeline/leads/<uuid:enquiry_id>/move", pipeline_views.lead_move, name="lead_move"),
    path("pipeline/leads/<uuid:enquiry_id>/assign", pipeline_views.lead_assign, name="lead_assign"),
    path(
        "pipeline/leads/<uuid:enquiry_id>/contact", pipeline_views.lead_contact, name="lead_contact"
    ),
    path("tasks/", pipeline_views.tasks, name="pipeline_tasks"),
    path("tasks/<uuid:task_id>/done", pipeline_views.task_done, name="task_done"),
    path("pipeline/settings", pipeline_views.pipeline_settings, name="pipeline_settings"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("calendar/book", calendar_views.book, name="book"),
    path("calendar/book/slots", calendar_views.book_slots, name="book_slots"),
    path(
        "calendar/appointments/<uuid:appointment_id>/move",
        calendar_views.appointment_move,
        name="appointment_move",
    ),
    path(
        "calendar/appointments/<uuid:appointment_id>/status",
        calendar_views.appointment_status,
        name="appointment_status",
    ),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export_csv, name="audit_export"),
    path("conversions/", conversion_views.conversion_list, name="conversions"),
    path("conversions/settings", conversion_views.conversion_settings, name="conversion_settings"),
    path(
        "conversions/<uuid:upload_id>/retry",
        conversion_views.conversion_retry,
        name="conversion_retry",
    ),
    path("outbox/", message_views.outbox, name="outbox"),
    path("outbox/<uuid:message_id>/reply", message_views.simulate_reply, name="outbox_reply"),
    path("reports/", report_views.attribution, name="reports"),
    path("reports/attribution.csv", report_views.attribution_csv, name="report_export"),
    path("reports/ad-spend", report_views.ad_spend, name="ad_spend"),
    path("templates/", template_views.template_list, name="message_templates"),
    path("templates/new", template_views.template_create, name="message_template_new"),
    path("templates/<uuid:template_id>/", template_views.template_detail, name="message_template"),
    path(
        "templates/<uuid:template_id>/edit",
        template_views.template_edit,
        name="message_template_edit",
    ),
    path(
        "templates/<uuid:template_id>/delete",
        template_views.template_delete,
        name="message_template_delete",
    ),
    path("settings/api-keys", views.api_keys, name="api_keys"),
    path("settings/website", views.website_settings, name="website_settings"),
    path("settings/treatments", catalogue_views.treatments, name="treatments"),
    path(
        "settings/treatments/<uuid:treatment_id>/edit",
        catalogue_views.treatment_edit,
        name="treatment_edit",
    ),
    path(
        "settings/treatments/<uuid:treatment_id>/archive",
        catalogue_views.treatment_active,
        {"active": False},
        name="treatment_archive",
    ),
    path(
        "settings/treatments/<uuid:treatment_id>/restore",
        catalogue_views.treatment_active,
        {"active": True},
        name="treatment_restore",
    ),
    path("settings/practitioners", catalogue_views.practitioners, name="practitioners"),
    path(
        "settings/practitioners/<uuid:practitioner_id>/edit",
        catalogue_views.practitioner_edit,
        name="practitioner_edit",
    ),
    path(
        "settings/practitioners/<uuid:practitioner_id>/archive",
        catalogue_views.practitioner_active,
        {"active": False},
        name="practitioner_archive",
    ),
    path(
        "settings/practitioners/<uuid:practitioner_id>/restore",
        catalogue_views.practitioner_active,
        {"active": True},
        name="practitioner_restore",
    ),
    path(
        "settings/availability",
        scheduling_views.availability_settings,
        name="availability_settings",
    ),
    path(
        "settings/messaging",
        messaging_settings_views.messaging_settings,
        name="messaging_settings",
    ),
    path(
        "settings/messaging/test",
        messaging_settings_views.connection_test,
        name="messaging_connection_test",
    ),
    path("settings/api-keys/<uuid:key_id>/revoke", views.api_key_revoke, name="api_key_revoke"),
    path("settings/assistant", assistant_views.assistant_settings, name="assistant_settings"),
    path(
        "settings/assistant/knowledge",
        assistant_views.knowledge_page,
        name="assistant_knowledge",
    ),
    path(
        "settings/assistant/knowledge/new",
        assistant_views.knowledge_new,
        name="assistant_knowledge_new",
    ),
    path(
        "settings/assistant/knowledge/import",
        assistant_views.knowledge_import,
        name="assistant_knowledge_import",
    ),
    path(
        "settings/assistant/knowledge/<uuid:item_id>/edit",
        assistant_views.knowledge_edit,
        name="assistant_knowledge_edit",
    ),
    path(
        "settings/assistant/knowledge/<uuid:item_id>/delete",
        assistant_views.knowledge_delete,
        name="assistant_knowledge_delete",
    ),
    path("settings/assistant/test", assistant_views.assistant_test, name="assistant_test"),
    path(
        "settings/assistant/test/reset",
        assistant_views.assistant_test_reset,
        name="assistant_test_reset",
    ),
]
