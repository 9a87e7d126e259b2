from django.urls import path

from aescrm.automation import views

app_name = "automations"

urlpatterns = [
    path("automations/", views.rule_list, name="list"),
    path("automations/new", views.rule_new, name="new"),
    path("automations/builder/row", views.builder_row, name="builder_row"),
    path("automations/settings", views.links, name="settings"),
    path("automations/dry-run", views.dry_run, name="dry_run"),
    path("automations/health", views.health, name="health"),
    path("automations/health/figures", views.health_figures, name="health_figures"),
    path(
        "automations/notifications/<uuid:notification_id>/read",
        views.notification_read,
        name="notification_read",
    ),
    path("automations/<uuid:rule_id>/", views.rule_detail, name="rule"),
    path("automations/<uuid:rule_id>/edit", views.rule_edit, name="edit"),
    path("automations/<uuid:rule_id>/toggle", views.rule_toggle, name="toggle"),
]
