from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "aescrm.mail"
    label = "mail"
    verbose_name = "Email"
