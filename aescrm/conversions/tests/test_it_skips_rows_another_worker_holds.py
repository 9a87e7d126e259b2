"""PostgreSQL: a worker skips rows another worker has locked (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from aescrm.attribution.services import conversion_record
from aescrm.conversions import worker
from aescrm.conversions.models import ConversionUpload
from aescrm.core.tenancy import clinic_scope


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers instead")
@pytest.mark.django_db(transaction=True)
def test_a_locked_row_is_skipped_not_waited_for(clinic_a: Any, allow_audit_flush: Any) -> None:
    patient = clinic_a.make_patient()
    with clinic_scope(clinic_a.clinic.pk):
        event = conversion_record(kind="lead", patient=patient)
        ConversionUpload.objects.filter(event=event, platform="google_ads").update(
            status="pending", reason="", next_attempt_at=timezone.now()
        )
    locked = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        try:
            with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
                list(ConversionUpload.objects.select_for_update().filter(event=event))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        with clinic_scope(clinic_a.clinic.pk):
            assert worker.claim("google_ads", timezone.now()) == []
    finally:
        release.set()
        thread.join(10)
    with clinic_scope(clinic_a.clinic.pk):
        assert len(worker.claim("google_ads", timezone.now())) == 1
