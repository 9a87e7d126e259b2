from django.urls import path

from aescrm.mail import views, webhooks

app_name = "mail"

urlpatterns = [
    path("webhooks/postmark/inbound", webhooks.inbound, name="postmark_inbound"),
    path("webhooks/postmark/events", webhooks.events, name="postmark_events"),
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("settings/email", views.email_settings, name="settings"),
    path("settings/email/check", views.email_check, name="settings_check"),
    path("settings/email/webhook-login", views.webhook_login, name="settings_webhook_login"),
]
