"""Re-wrap every clinic key under the current master key; optionally re-encrypt a clinic.

Master key rotation without downtime:
1. Set AESCRM_MASTER_KEY to the new key and AESCRM_OLD_MASTER_KEYS to the old one; deploy.
2. `aescrm rotate_keys` re-wraps every data and index key under the new key.
3. Remove AESCRM_OLD_MASTER_KEYS; deploy.

`--reencrypt SLUG` creates a fresh data key for the clinic and re-encrypts
its rows under it; old versions stay readable until every row has moved.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.accounts.models import Clinic
from aescrm.audit.services import audit_record
from aescrm.crypto.keys import rewrap_all
from aescrm.crypto.masterkey import MasterKeyError
from aescrm.crypto.reencrypt import reencrypt_clinic


class Command(BaseCommand):
    help = (
        "Re-wrap clinic keys under the current master key; --reencrypt SLUG re-encrypts a clinic."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reencrypt",
            metavar="SLUG",
            help="give this clinic a fresh data key and re-encrypt its data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed = rewrap_all()
        except MasterKeyError as exc:
            raise CommandError(str(exc)) from exc
        audit_record(
            "key.rewrap", object_type="clinic_key", detail={"rewrapped": changed}, platform=True
        )
        self.stdout.write(f"re-wrapped {changed} clinic key(s) under the current master key")
        slug = options.get("reencrypt")
        if slug:
            clinic = Clinic.objects.filter(slug=slug).first()
            if clinic is None:
                raise CommandError(f"no clinic with slug {slug!r}")
            version, rows = reencrypt_clinic(clinic.pk)
            self.stdout.write(
                f"re-encrypted {rows} row(s) of {clinic.slug} under data key v{version}"
            )
