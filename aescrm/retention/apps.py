from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "aescrm.retention"
    label = "retention"
    verbose_name = "Retention and legal holds"

    def ready(self) -> None:
        from aescrm.retention import tasks  # noqa: F401  (registers Huey tasks)
