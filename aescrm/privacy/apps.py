from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "aescrm.privacy"
    label = "privacy"
    verbose_name = "Privacy requests"

    def ready(self) -> None:
        from aescrm.privacy import tasks  # noqa: F401  (registers Huey tasks)
