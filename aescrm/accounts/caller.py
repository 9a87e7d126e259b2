"""The caller of a service: a signed-in member or an API key, always within one clinic."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from aescrm.accounts.permissions import Perm, has_perm, scopes_grant
from aescrm.core.problems import PermissionDenied


@dataclass(frozen=True)
class Caller:
    clinic_id: uuid.UUID
    user_id: uuid.UUID | None = None
    role: str | None = None
    scopes: tuple[str, ...] = field(default_factory=tuple)
    api_key_id: uuid.UUID | None = None

    def can(self, perm: Perm) -> bool:
        if self.role is not None:
            return has_perm(self.role, perm)
        return scopes_grant(list(self.scopes), perm)

    def require(self, perm: Perm) -> None:
        if not self.can(perm):
            raise PermissionDenied(f"your role or key does not allow {perm.value}")

    def require_any(self, *perms: Perm) -> None:
        if not any(self.can(p) for p in perms):
            raise PermissionDenied(f"your role or key does not allow {perms[0].value}")

    @property
    def sees_only_own_patients(self) -> bool:
        return not self.can(Perm.PATIENT_VIEW) and self.can(Perm.PATIENT_VIEW_OWN)
