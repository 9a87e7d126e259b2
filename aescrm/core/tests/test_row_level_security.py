"""On PostgreSQL, row-level security scopes raw SQL a second time (the ORM is the first)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from aescrm.core.tenancy import TenantManager, TenantModel, clinic_scope, unscoped

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists on PostgreSQL only"
    ),
]


def _count_patients() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patients_patient")
        return int(cursor.fetchone()[0])


def _patient_clinics() -> set[uuid.UUID]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT clinic_id FROM patients_patient")
        return {row[0] for row in cursor.fetchall()}


def test_the_test_role_is_subject_to_row_level_security() -> None:
    """The suite connects as a role that neither is a superuser nor bypasses RLS."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_raw_sql_sees_no_tenant_rows_when_no_clinic_is_set(clinic_a: Any, clinic_b: Any) -> None:
    """Raw SQL with no clinic set returns nothing; with A set, only A's rows."""
    for n in range(3):
        clinic_a.make_patient(first_name=f"Alpha{n}")
    clinic_b.make_patient(first_name="Bravo")

    assert _count_patients() == 0

    with clinic_scope(clinic_a.clinic.pk):
        assert _count_patients() == 3
        assert _patient_clinics() == {clinic_a.clinic.pk}

    with clinic_scope(clinic_b.clinic.pk):
        assert _count_patients() == 1

    with unscoped("test: every clinic"):
        assert _count_patients() == 4

    assert _count_patients() == 0


def test_the_policy_rejects_inserting_a_row_for_another_clinic(
    clinic_a: Any, clinic_b: Any
) -> None:
    """With clinic A set, an INSERT of a clinic B row violates the policy."""
    with (
        clinic_scope(clinic_a.clinic.pk),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO patients_treatment "
            "(id, clinic_id, name, category, duration_minutes, price_pence, "
            "prescription_medicine, active) "
            "VALUES (%s, %s, 'Smuggled', '', 30, 100, false, true)",
            [uuid.uuid4(), clinic_b.clinic.pk],
        )

    with clinic_scope(clinic_b.clinic.pk), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patients_treatment WHERE name = 'Smuggled'")
        assert cursor.fetchone()[0] == 0


def test_the_policy_hides_other_clinics_rows_from_update_and_delete(
    clinic_a: Any, clinic_b: Any
) -> None:
    """With clinic A set, raw UPDATE and DELETE of clinic B's rows touch nothing."""
    theirs = clinic_b.make_patient(first_name="Bravo")

    with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
        cursor.execute("UPDATE patients_patient SET stage = 'lost' WHERE id = %s", [theirs.pk])
        assert cursor.rowcount == 0
        cursor.execute("DELETE FROM patients_patientsearchtoken WHERE patient_id = %s", [theirs.pk])
        assert cursor.rowcount == 0

    with clinic_scope(clinic_b.clinic.pk), connection.cursor() as cursor:
        cursor.execute("SELECT stage FROM patients_patient WHERE id = %s", [theirs.pk])
        assert cursor.fetchone() == ("lead",)


def _scoped_tables() -> list[str]:
    """Every table whose rows belong to a clinic: TenantModel subclasses, and any model
    whose default manager is the tenant manager (the audit log)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, TenantModel) or isinstance(model._default_manager, TenantManager)
    }
    return sorted(tables)


def test_every_tenant_table_has_row_level_security_enabled_and_forced() -> None:
    """A new tenant table without RLS (enabled and forced) and a policy fails this test."""
    tables = _scoped_tables()
    assert "patients_patient" in tables
    assert "audit_auditentry" in tables

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ANY(%s)",
            [tables],
        )
        found = {name: (enabled, forced, policies) for name, enabled, forced, policies in cursor}

    missing = [t for t in tables if t not in found]
    unprotected = [
        t for t, (enabled, forced, policies) in found.items() if not (enabled and forced)
    ]
    without_policy = [t for t, (_, _, policies) in found.items() if policies == 0]
    assert missing == []
    assert unprotected == []
    assert without_policy == []
