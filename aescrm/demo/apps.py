from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "aescrm.demo"
    label = "demo"
