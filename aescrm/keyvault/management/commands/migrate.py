"""``aescrm migrate`` brings both databases up to date: the main one and the key vault.

With ``--database`` it migrates only that one (the test runner creates each
test database this way).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import migrate

from aescrm.keyvault.models import VAULT_DB


class Command(migrate.Command):
    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "database":
                action.default = None
                action.help = "Only this database (default: the main database, then the key vault)."

    def get_check_kwargs(self, options: Any) -> Any:
        kwargs = super().get_check_kwargs(options)
        if not options.get("database"):
            kwargs["databases"] = [a for a in ("default", VAULT_DB) if a in settings.DATABASES]
        return kwargs

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("database"):
            super().handle(*args, **options)
            return
        for alias in ("default", VAULT_DB):
            if alias in settings.DATABASES:
                # Checks ran once for both in execute(); not again per database.
                super().handle(*args, **{**options, "database": alias, "skip_checks": True})
