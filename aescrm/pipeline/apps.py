from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "aescrm.pipeline"
    label = "pipeline"
    verbose_name = "Lead pipeline"

    def ready(self) -> None:
        from aescrm.pipeline import signals

        signals.connect()
