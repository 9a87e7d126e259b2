"""What a clinic has switched on, read from its live settings for the notices and records.

Every notice and record of processing is generated from this snapshot, so
what they say changes the moment a clinic connects a channel, changes its
assistant's engine or starts sending conversions to an ad platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse

from aescrm.accounts.models import Clinic
from aescrm.assistant.engines.llm import llm_config
from aescrm.assistant.models import AssistantSettings, EngineChoice
from aescrm.conversions.models import AdPlatformSettings
from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import MailSettings
from aescrm.messaging.models import MessagingSettings
from aescrm.notices.subprocessors import SUB_PROCESSORS, SubProcessor


@dataclass(frozen=True)
class ClinicConfig:
    clinic: Clinic
    sms: bool = False
    calls: bool = False
    email: bool = False
    chat: bool = False
    # The assistant's engine: "embedded", or "llm" with the endpoint's host name.
    engine: str = EngineChoice.EMBEDDED
    llm_host: str = ""
    google: bool = False
    meta: bool = False
    contact_email: str = ""
    contact_phone: str = ""
    help_contact: str = ""
    urgent_phone: str = ""
    custom_notice_url: str = ""
    channels: list[str] = field(default_factory=list)

    @property
    def measurement(self) -> bool:
        return self.google or self.meta

    def uses(self, sub: SubProcessor) -> bool:
        if sub.used_for == "database":
            return platform_uses_supabase()
        if sub.used_for == "billing":
            return bool(getattr(settings, "STRIPE_SECRET_KEY", ""))
        return bool(getattr(self, sub.used_for))

    @property
    def sub_processors(self) -> list[SubProcessor]:
        return [s for s in SUB_PROCESSORS if self.uses(s)]


def platform_uses_supabase() -> bool:
    host = str(settings.DATABASES["default"].get("HOST") or "")
    return host.endswith((".supabase.co", ".supabase.com"))


def clinic_config(clinic: Clinic) -> ClinicConfig:
    with clinic_scope(clinic.pk):
        messaging = MessagingSettings.objects.first()
        mail = MailSettings.objects.first()
        assistant = AssistantSettings.objects.first()
        ads = AdPlatformSettings.objects.first()
    sms = bool(messaging and (messaging.sending_number or messaging.messaging_service_sid))
    calls = bool(messaging and messaging.sending_number and messaging.forwarding_number)
    email = bool(mail and mail.sender_email)
    # No settings row yet means the defaults: the assistant is on.
    chat = assistant.enabled if assistant is not None else True
    engine, llm_host = EngineChoice.EMBEDDED.value, ""
    if assistant is not None and assistant.engine == EngineChoice.LLM:
        found = llm_config(assistant)
        if found is not None:
            engine, llm_host = EngineChoice.LLM.value, urlparse(found.base_url).hostname or ""
    channels = [
        name
        for name, on in (
            ("SMS", sms),
            ("email", email),
            ("website chat", chat),
            ("phone calls", calls),
        )
        if on
    ]
    return ClinicConfig(
        clinic=clinic,
        sms=sms,
        calls=calls,
        email=email,
        chat=chat,
        engine=engine,
        llm_host=llm_host,
        google=bool(ads and ads.google_enabled),
        meta=bool(ads and ads.meta_enabled),
        contact_email=mail.sender_email if mail else "",
        contact_phone=messaging.sending_number if messaging else "",
        help_contact=messaging.help_contact if messaging else "",
        urgent_phone=assistant.urgent_phone if assistant else "",
        custom_notice_url=assistant.privacy_notice_url if assistant else "",
        channels=channels,
    )


def generated_notice_url(clinic: Clinic, notice: str = "privacy") -> str:
    """The public address of the clinic's generated notice (``privacy`` or ``ai``)."""
    name = "notices:privacy" if notice == "privacy" else "notices:ai"
    return settings.PUBLIC_BASE_URL + reverse(name, args=[clinic.public_key])


def privacy_notice_url(clinic: Clinic, custom: str = "") -> str:
    """Where patients read the clinic's privacy notice: its own page if it named one in
    the assistant settings, otherwise the generated notice."""
    return custom.strip() or generated_notice_url(clinic)


def clinic_privacy_notice_url(clinic: Clinic) -> str:
    """``privacy_notice_url`` for the clinic, reading its assistant settings."""
    with clinic_scope(clinic.pk):
        custom = (
            AssistantSettings.objects.values_list("privacy_notice_url", flat=True).first() or ""
        )
    return privacy_notice_url(clinic, custom)
