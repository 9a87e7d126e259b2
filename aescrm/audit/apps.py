from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aescrm.audit"
    label = "audit"

    def ready(self) -> None:
        from aescrm.audit import guard

        guard.connect_signals()
