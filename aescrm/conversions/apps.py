from django.apps import AppConfig


class ConversionsConfig(AppConfig):
    name = "aescrm.conversions"
    label = "conversions"
    verbose_name = "Ad platform conversions"

    def ready(self) -> None:
        from aescrm.attribution.signals import conversion_recorded
        from aescrm.conversions import receivers, tasks  # noqa: F401  (registers Huey tasks)

        conversion_recorded.connect(
            receivers.on_conversion_recorded, dispatch_uid="aescrm-conversions-queue"
        )
