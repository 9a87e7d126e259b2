from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CryptoConfig(AppConfig):
    name = "aescrm.crypto"
    label = "crypto"

    def ready(self) -> None:
        from aescrm.crypto.masterkey import MasterKeyError, master_keyring

        try:
            master_keyring()
        except MasterKeyError as exc:
            # In DEBUG the error surfaces on first use, so `generate_master_key`
            # and `check` still run; outside DEBUG the app will not start.
            if not (settings.DEBUG or settings.TESTING):
                raise ImproperlyConfigured(str(exc)) from exc
