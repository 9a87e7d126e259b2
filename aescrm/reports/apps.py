from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aescrm.reports"
    label = "reports"
    verbose_name = "Reports and ad spend"

    def ready(self) -> None:
        from aescrm.reports import signals

        signals.connect_signals()
