from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "aescrm.inbox"
    label = "inbox"
    verbose_name = "Inbox"
