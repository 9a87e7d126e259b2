from django.urls import path

from aescrm.messaging import webhooks

app_name = "messaging"

urlpatterns = [
    path("webhooks/twilio/sms", webhooks.inbound_sms, name="twilio_inbound"),
    path("webhooks/twilio/status", webhooks.status_callback, name="twilio_status"),
]
