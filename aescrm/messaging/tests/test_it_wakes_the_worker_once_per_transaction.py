"""Queuing many messages in one transaction (a bulk send) wakes the sender once, on commit."""

from __future__ import annotations

from django.db import connection, transaction

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services
from aescrm.testing.fixtures import ClinicWorld


def _wakes(start: int) -> int:
    return sum(
        isinstance(entry[1], services._SendClinicMessages)
        for entry in connection.run_on_commit[start:]
    )


def test_one_transaction_wakes_the_worker_once(clinic_a: ClinicWorld) -> None:
    patients = [clinic_a.make_patient(phone=f"07700 90045{i}") for i in range(3)]
    with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
        before = len(connection.run_on_commit)
        for patient in patients:
            services.message_queue(
                caller=clinic_a.caller(), patient=patient, body="Hello", kind="service"
            )
        assert _wakes(before) == 1


def test_a_rolled_back_transaction_does_not_stop_the_next_one_waking_it(
    clinic_a: ClinicWorld,
) -> None:
    patient = clinic_a.make_patient(phone="07700 900460")
    with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
        before = len(connection.run_on_commit)
        sid = transaction.savepoint()
        services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hello", kind="service"
        )
        transaction.savepoint_rollback(sid)
        services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hello again", kind="service"
        )
        assert _wakes(before) == 1
