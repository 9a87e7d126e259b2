from django.apps import AppConfig


class ErasureConfig(AppConfig):
    name = "aescrm.erasure"
    label = "erasure"
    verbose_name = "Erasure and the suppression list"
