"""The download link works once: a second use, or any use after the expiry, is 410 Gone and
the zip is wiped; a new link replaces the last; the zip is stored encrypted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import Conflict
from aescrm.core.tenancy import clinic_scope
from aescrm.subject_access import services, tasks
from aescrm.subject_access.models import SubjectAccessExport
from aescrm.subject_access.tests.support import exported_json, unzip

pytestmark = pytest.mark.django_db


def _ready_export(world: Any, capture: Any) -> tuple[SubjectAccessExport, Any]:
    patient = world.make_patient(first_name="Lena", last_name="Linkwell")
    with clinic_scope(world.clinic.pk), capture(execute=True):
        export = services.export_request(
            caller=world.caller(), patient=patient, include_access_log=False
        )
    with clinic_scope(world.clinic.pk):
        export.refresh_from_db()
    assert export.status == "ready"
    return export, patient


def _link(world: Any, export: SubjectAccessExport) -> str:
    with clinic_scope(world.clinic.pk):
        return f"/exports/download/{services.export_link(caller=world.caller(), export=export)}"


def test_the_link_downloads_once_then_says_gone(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    link = _link(clinic_a, export)
    stranger = Client()  # the person it is about: no sign-in

    first = stranger.get(link)
    assert first.status_code == 200
    assert exported_json(unzip(first.content))["profile"][0]["last_name"] == "Linkwell"
    assert "no-cache" in first["Cache-Control"] or "no-store" in first["Cache-Control"]

    second = stranger.get(link)
    assert second.status_code == 410
    assert "already been used or has expired" in second.content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        export.refresh_from_db()
        assert export.status == "downloaded" and export.downloaded_at is not None
        assert export.payload is None
        assert (
            AuditEntry.objects.filter(
                action="subject_access.export.downloaded", object_id=str(export.pk)
            ).count()
            == 1
        )
        # No further link for a downloaded export.
        with pytest.raises(Conflict):
            services.export_link(caller=clinic_a.caller(), export=export)


def test_an_expired_link_is_gone_and_the_zip_wiped(
    clinic_a: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SAR_EXPORT_LINK_DAYS = 7
    export, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    assert export.expires_at - export.ready_at == dt.timedelta(days=7)  # type: ignore[operator]
    link = _link(clinic_a, export)
    with clinic_scope(clinic_a.clinic.pk):
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )

    assert Client().get(link).status_code == 410
    with clinic_scope(clinic_a.clinic.pk):
        export.refresh_from_db()
        assert export.status == "expired" and export.payload is None


def test_the_hourly_task_wipes_expired_exports_of_every_clinic(
    clinic_a: Any, clinic_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    other, _ = _ready_export(clinic_b, django_capture_on_commit_callbacks)
    fresh, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    for world, export in ((clinic_a, old), (clinic_b, other)):
        with clinic_scope(world.clinic.pk):
            SubjectAccessExport.objects.filter(pk=export.pk).update(
                expires_at=timezone.now() - dt.timedelta(minutes=1)
            )

    assert tasks.expire_exports.call_local() == 2

    with clinic_scope(clinic_a.clinic.pk):
        assert SubjectAccessExport.objects.get(pk=old.pk).status == "expired"
        assert SubjectAccessExport.objects.get(pk=fresh.pk).status == "ready"


def test_a_new_link_replaces_the_last_and_unknown_links_are_not_found(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    old = _link(clinic_a, export)
    new = _link(clinic_a, export)
    assert Client().get(old).status_code == 404
    assert Client().get("/exports/download/not-a-real-token").status_code == 404
    assert Client().get(new).status_code == 200


def test_the_zip_is_stored_encrypted_and_only_a_hash_of_the_token(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export, _ = _ready_export(clinic_a, django_capture_on_commit_callbacks)
    token = _link(clinic_a, export).rsplit("/", 1)[1]
    table = SubjectAccessExport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT payload, token_hash FROM {table} WHERE id = %s", [export.pk.hex])
        row = cursor.fetchone() if connection.vendor == "sqlite" else None
    if row is None:  # PostgreSQL stores the uuid natively
        with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
            cursor.execute(f"SELECT payload, token_hash FROM {table} WHERE id = %s", [export.pk])
            row = cursor.fetchone()
    stored, token_hash = bytes(row[0]), row[1]
    assert export.size > 0 and len(stored) > export.size
    for plain in (b"PK\x03\x04", b"UEsDB", b"Linkwell", b"export.json"):
        assert plain not in stored
    assert token not in token_hash and token_hash == services.token_hash(token)
