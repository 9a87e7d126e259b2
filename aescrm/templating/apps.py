from django.apps import AppConfig


class TemplatingConfig(AppConfig):
    name = "aescrm.templating"
    label = "templating"
    verbose_name = "Message templates"
