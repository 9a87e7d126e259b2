from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "aescrm.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from aescrm.messaging import tasks  # noqa: F401  (registers Huey tasks)
