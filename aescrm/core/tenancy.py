"""Tenant scoping built into the data layer.

Every tenant-owned model inherits ``TenantModel``. Its default manager
refuses to build a queryset unless a clinic scope is active, so a forgotten
filter raises ``NoClinicScope`` instead of leaking another clinic's rows.

A scope is entered with ``clinic_scope(clinic_id)`` (the web middleware and
the API authenticator do this from the signed-in membership or API key,
never from client input). System jobs that must see every clinic use
``unscoped(reason)``, which is explicit and easy to find in review.

On PostgreSQL the same values are written to the connection as
``app.clinic_id`` / ``app.rls_bypass`` for the row-level security policies
(see ``aescrm.core.migration_ops``), so raw SQL is scoped a second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models
from django.db.backends.signals import connection_created

_clinic_id: ContextVar[uuid.UUID | None] = ContextVar("aescrm_clinic_id", default=None)
_bypass: ContextVar[bool] = ContextVar("aescrm_rls_bypass", default=False)


class NoClinicScope(RuntimeError):
    """A tenant-owned table was queried with no clinic scope active."""


class CrossClinicWrite(RuntimeError):
    """A row of one clinic was about to be written under another clinic's scope."""


def current_clinic_id() -> uuid.UUID:
    clinic_id = _clinic_id.get()
    if clinic_id is None:
        raise NoClinicScope("no clinic scope is active; use clinic_scope() or unscoped()")
    return clinic_id


def active_clinic_id() -> uuid.UUID | None:
    return _clinic_id.get()


def is_unscoped() -> bool:
    return _bypass.get()


def _apply_to_connection(conn: Any) -> None:
    if conn.vendor != "postgresql":
        return
    clinic_id = _clinic_id.get()
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.clinic_id', %s, false), "
            "set_config('app.rls_bypass', %s, false)",
            [str(clinic_id) if clinic_id else "", "on" if _bypass.get() else "off"],
        )


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    _apply_to_connection(connection)


def connect_signals() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="aescrm-tenancy")


@contextmanager
def clinic_scope(clinic_id: uuid.UUID | str) -> Iterator[uuid.UUID]:
    """Run the block as the given clinic: ORM and (on PostgreSQL) SQL are limited to it."""
    cid = clinic_id if isinstance(clinic_id, uuid.UUID) else uuid.UUID(str(clinic_id))
    if _clinic_id.get() == cid and not _bypass.get():
        # Already this clinic's scope (a service inside a request): the
        # connection is set for it, so entering and leaving are free.
        yield cid
        return
    token = _clinic_id.set(cid)
    bypass_token = _bypass.set(False)
    try:
        if connection.connection is not None:
            _apply_to_connection(connection)
        yield cid
    finally:
        _clinic_id.reset(token)
        _bypass.reset(bypass_token)
        if connection.connection is not None:
            _apply_to_connection(connection)


def enter_clinic(clinic_id: uuid.UUID) -> None:
    """Enter a clinic's scope until the end of the current context.

    Only for code that runs inside ``isolated_context`` (the API middleware
    runs each API request in a copied context, so the scope ends with it).
    """
    _clinic_id.set(clinic_id)
    _bypass.set(False)
    if connection.connection is not None:
        _apply_to_connection(connection)


def reset_connection_scope() -> None:
    """Write the current (outer) scope back to the database connection."""
    if connection.connection is not None:
        _apply_to_connection(connection)


@contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """Let a system job see every clinic's rows. ``reason`` documents why at the call site."""
    if not reason:
        raise ValueError("unscoped() needs a reason")
    token = _bypass.set(True)
    clinic_token = _clinic_id.set(None)
    try:
        if connection.connection is not None:
            _apply_to_connection(connection)
        yield
    finally:
        _bypass.reset(token)
        _clinic_id.reset(clinic_token)
        if connection.connection is not None:
            _apply_to_connection(connection)


class TenantQuerySet(models.QuerySet):
    def _fetch_all(self) -> None:
        fetching = self._result_cache is None
        super()._fetch_all()
        rows = self._result_cache
        if fetching and rows and len(rows) > 1 and isinstance(rows[0], models.Model):
            from aescrm.crypto.fields import prefetch_patient_keys  # crypto builds on core

            prefetch_patient_keys(rows)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for obj in objs:
            obj.assign_clinic()
        return super().bulk_create(objs, *args, **kwargs)


class TenantManager(models.Manager):
    """Default manager of tenant tables: scoped to the active clinic, or an error."""

    _queryset_class = TenantQuerySet

    def get_queryset(self) -> TenantQuerySet:
        qs = super().get_queryset()
        if _bypass.get():
            return qs  # type: ignore[return-value]
        return qs.filter(clinic_id=current_clinic_id())  # type: ignore[return-value]


class TenantModel(models.Model):
    """Base for every row a clinic owns."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, editable=False, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # New rows belong to the active clinic from the start, so fields that
        # need the clinic (encryption, blind indexes) work before save().
        if self.clinic_id is None:
            self.clinic_id = _clinic_id.get()

    def assign_clinic(self) -> None:
        scoped = _clinic_id.get()
        if self.clinic_id is None:
            self.clinic_id = current_clinic_id()
        elif scoped is not None and self.clinic_id != scoped:
            raise CrossClinicWrite(f"{type(self).__name__} belongs to another clinic")
        elif scoped is None and not _bypass.get():
            raise NoClinicScope("no clinic scope is active")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assign_clinic()
        super().save(*args, **kwargs)
