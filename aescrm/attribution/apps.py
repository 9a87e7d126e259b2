from django.apps import AppConfig


class AttributionConfig(AppConfig):
    name = "aescrm.attribution"
    label = "attribution"
    verbose_name = "Marketing attribution"
