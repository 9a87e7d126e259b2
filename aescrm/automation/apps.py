from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "aescrm.automation"
    label = "automation"
    verbose_name = "Automations"

    def ready(self) -> None:
        from aescrm.automation import tasks  # noqa: F401  (registers Huey tasks)
