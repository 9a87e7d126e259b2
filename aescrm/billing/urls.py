from django.urls import path

from aescrm.billing import views, webhooks

app_name = "billing"

urlpatterns = [
    path("webhooks/stripe", webhooks.stripe_webhook, name="stripe_webhook"),
    path("settings/billing", views.billing_settings, name="settings"),
    path("settings/billing/subscribe", views.subscribe, name="subscribe"),
    path("settings/billing/portal", views.portal, name="portal"),
    path("settings/billing/invoices/<uuid:invoice_id>", views.invoice_open, name="invoice"),
]
