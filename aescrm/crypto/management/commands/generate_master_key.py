from typing import Any

from django.core.management.base import BaseCommand

from aescrm.crypto.masterkey import generate_master_key


class Command(BaseCommand):
    help = "Print a new master key (base64 of 32 random bytes) on the last line."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.write(
            "Store this as AESCRM_MASTER_KEY (or in the file AESCRM_MASTER_KEY_FILE names):"
        )
        self.stdout.write(generate_master_key())
