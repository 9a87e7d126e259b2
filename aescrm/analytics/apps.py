from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "aescrm.analytics"
    label = "analytics"
    verbose_name = "Usage analytics (account data, never patient data)"

    def ready(self) -> None:
        from aescrm.analytics import tasks  # noqa: F401  (registers Huey tasks)
