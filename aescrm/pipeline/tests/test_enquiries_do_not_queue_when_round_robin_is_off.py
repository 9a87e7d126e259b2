"""PostgreSQL: with round-robin off, a new enquiry takes no lock on the pipeline settings.

Otherwise every enquiry of a clinic (the website form included) waits for any
other transaction holding that row, such as a manager saving the settings.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services as patient_services
from aescrm.pipeline import services
from aescrm.pipeline.models import PipelineSettings


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers instead")
@pytest.mark.django_db(transaction=True)
def test_an_enquiry_does_not_wait_for_the_settings_row(
    clinic_a: Any, allow_audit_flush: Any
) -> None:
    patient = clinic_a.make_patient()
    with clinic_scope(clinic_a.clinic.pk):
        services.settings_for()  # round-robin off, the default
    locked = threading.Event()
    release = threading.Event()

    def manager_saving_settings() -> None:
        try:
            with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
                PipelineSettings.objects.select_for_update().get()
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=manager_saving_settings)
    thread.start()
    try:
        assert locked.wait(10)
        with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            enquiry = patient_services.enquiry_create(
                caller=clinic_a.caller(), patient=patient, channel="web_form"
            )
    finally:
        release.set()
        thread.join(10)
    assert enquiry.assigned_to_id is None
