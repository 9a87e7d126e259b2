from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "aescrm.public"
    label = "public"
    verbose_name = "Public website endpoints"
