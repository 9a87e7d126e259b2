from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "aescrm.assistant"
    label = "assistant"
    verbose_name = "Website assistant"

    def ready(self) -> None:
        from aescrm.assistant import tasks  # noqa: F401  (registers Huey tasks)
