import logging

from django.apps import AppConfig
from django.conf import settings


class AuditConfig(AppConfig):
    name = "aescrm.audit"
    label = "audit"

    def ready(self) -> None:
        from aescrm.audit import guard

        guard.connect_signals()
        if not settings.AESCRM_AUDIT_READS and not settings.DEBUG:
            logging.getLogger("aescrm.audit").warning(
                "AESCRM_AUDIT_READS is off: reads of patient data are NOT audited. "
                "This switch is for benchmarks only; turn it on in production."
            )
