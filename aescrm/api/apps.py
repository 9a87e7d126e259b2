from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aescrm.api"
    label = "api"
