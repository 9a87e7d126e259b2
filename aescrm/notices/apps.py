from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "aescrm.notices"
    label = "notices"
    verbose_name = "Privacy notices and records of processing"
