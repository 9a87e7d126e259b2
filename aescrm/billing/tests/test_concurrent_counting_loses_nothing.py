"""Many senders counting at once, each in its own connection and transaction: every unit is
counted (``UPDATE … SET count = count + n``), including the race to create the period's row."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection, transaction

from aescrm.billing import usage
from aescrm.billing.models import Metric, UsageCounter
from aescrm.billing.tests.usage_support import NOON, subscribe
from aescrm.testing.fixtures import ClinicWorld

THREADS = 6
EACH = 25


def test_concurrent_increments_lose_nothing(
    transactional_db: None, allow_audit_flush: None, clinic_a: ClinicWorld
) -> None:
    subscribe(clinic_a, plan="starter", allow_overage=True)  # 1,000 segments, then overage
    start_line = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def sender(n: int) -> None:
        try:
            start_line.wait(timeout=10)
            for _ in range(EACH):
                with transaction.atomic():
                    usage.increment(clinic_a.clinic.pk, Metric.SMS_SEGMENTS, 7, now=NOON)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    counter: Any = UsageCounter.objects.get(clinic=clinic_a.clinic, metric=Metric.SMS_SEGMENTS)
    assert counter.count == THREADS * EACH * 7  # 1,050
    # Exactly what went past the 1,000-segment limit is overage, however the sends interleaved.
    assert counter.overage == THREADS * EACH * 7 - 1000
