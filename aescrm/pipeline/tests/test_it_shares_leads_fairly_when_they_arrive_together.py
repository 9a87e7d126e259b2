"""Round-robin under a race: leads that arrive at the same moment still go round in turn."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from django.db import connections

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.pipeline import services
from aescrm.pipeline.tests.support import add_staff

RACERS = 6


def test_simultaneous_leads_are_shared_evenly(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: Any
) -> None:
    receptionists = [clinic_a.users["receptionist"], add_staff(clinic_a, "Bea")]
    receptionists.append(add_staff(clinic_a, "Cal"))
    with clinic_scope(clinic_a.clinic.pk):
        services.settings_update(caller=clinic_a.caller(), round_robin=True)
    patients = [
        str(clinic_a.make_patient(first_name=f"Racer{n}", email=f"racer{n}@example.com").pk)
        for n in range(RACERS)
    ]
    start_line = threading.Barrier(RACERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(patient_id: str) -> None:
        try:
            api = clinic_a.api()
            start_line.wait(timeout=10)
            response = api.post("/api/v1/enquiries", {"patient": patient_id, "channel": "chat"})
            statuses.append(response.status_code)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [201] * RACERS
    with clinic_scope(clinic_a.clinic.pk):
        owners = Counter(Enquiry.objects.values_list("assigned_to_id", flat=True))
    assert owners == {user.pk: RACERS // 3 for user in receptionists}
