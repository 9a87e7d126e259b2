from django.apps import AppConfig


class KeyvaultConfig(AppConfig):
    name = "aescrm.keyvault"
    label = "keyvault"
    verbose_name = "Key vault (per-patient keys, kept out of the main database)"
