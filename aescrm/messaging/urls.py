from django.conf import settings
from django.urls import path

from aescrm.messaging import voice, webhooks

app_name = "messaging"

urlpatterns = [
    path("webhooks/twilio/sms", webhooks.inbound_sms, name="twilio_inbound"),
    path("webhooks/twilio/status", webhooks.status_callback, name="twilio_status"),
    path("webhooks/twilio/voice", voice.incoming, name="twilio_voice"),
    path("webhooks/twilio/voice/outcome", voice.outcome, name="twilio_voice_outcome"),
    path("webhooks/twilio/voice/status", voice.status, name="twilio_voice_status"),
]

if settings.AESCRM_BENCH_ENDPOINTS:
    # The baseline `make bench` compares the inbound webhook with (bench/messaging.py).
    urlpatterns.append(
        path("bench/twilio-bare", webhooks.signature_check_only, name="bench_twilio_bare")
    )
