from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "aescrm.web"
    label = "web"
