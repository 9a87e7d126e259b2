from django.apps import AppConfig


class PlatformPrivacyConfig(AppConfig):
    name = "aescrm.platform_privacy"
    label = "platform_privacy"
    verbose_name = "Account holders' rights and support access"
