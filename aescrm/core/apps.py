from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aescrm.core"
    label = "core"

    def ready(self) -> None:
        from aescrm.core import tenancy

        tenancy.connect_signals()
