from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aescrm.accounts"
    label = "accounts"
