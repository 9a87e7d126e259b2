"""PostgreSQL: two staff mark the same appointment attended at the same moment.

Neither sees the other's uncommitted event, so both insert one; the unique
constraint lets one win, and the other must get that event back rather than
an error that rolls its whole change back (SQLite serialises writers).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from aescrm.api.tests.helpers import slot
from aescrm.attribution.models import ConversionEvent, ConversionKind
from aescrm.attribution.services import conversion_record
from aescrm.conversions.models import ConversionUpload
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers instead")
@pytest.mark.django_db(transaction=True)
def test_the_second_recorder_gets_the_first_event(clinic_a: Any, allow_audit_flush: Any) -> None:
    patient = clinic_a.make_patient()
    with clinic_scope(clinic_a.clinic.pk):
        appointment = services.appointment_book(
            caller=clinic_a.caller(),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=slot(days=1, hour=10),
            value_pence=9000,
        )
    inserted = threading.Event()
    first: list[ConversionEvent] = []
    errors: list[BaseException] = []

    def first_receptionist() -> None:
        try:
            with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
                first.append(
                    conversion_record(
                        kind=ConversionKind.ATTENDED,
                        patient=patient,
                        appointment=appointment,
                        value_pence=9000,
                    )
                )
                inserted.set()
                time.sleep(1)  # the second one is now waiting on the unique index
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_receptionist)
    thread.start()
    try:
        assert inserted.wait(10)
        with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
            second = conversion_record(
                kind=ConversionKind.ATTENDED,
                patient=patient,
                appointment=appointment,
                value_pence=9000,
            )
            # The rest of the second receptionist's change still runs and commits.
            assert ConversionEvent.objects.filter(pk=second.pk).exists()
    finally:
        thread.join(10)

    assert errors == []
    assert second.pk == first[0].pk
    with clinic_scope(clinic_a.clinic.pk):
        assert ConversionEvent.objects.filter(appointment=appointment, kind="attended").count() == 1
        assert ConversionUpload.objects.filter(event=second).count() == 2
