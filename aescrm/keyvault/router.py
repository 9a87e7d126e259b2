"""Sends the key vault's models to the ``keyvault`` database and nothing else there."""

from __future__ import annotations

from typing import Any

from aescrm.keyvault.models import VAULT_DB

APP = "keyvault"


class KeyVaultRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return VAULT_DB if model._meta.app_label == APP else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return VAULT_DB if model._meta.app_label == APP else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if APP in (obj1._meta.app_label, obj2._meta.app_label):
            return obj1._meta.app_label == obj2._meta.app_label
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return (app_label == APP) == (db == VAULT_DB)
