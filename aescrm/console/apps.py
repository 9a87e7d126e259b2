from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "aescrm.console"
    label = "console"
    verbose_name = "Platform console for AES-CRM Ltd staff"
