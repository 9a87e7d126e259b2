"""`make bench`'s attribution benchmark fills tables with bulk SQL: keep it in step with the schema.

Run at a tiny scale on PostgreSQL (its SQL is PostgreSQL's): the generated
data must load, and the hand-written query must agree with the report service.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's bulk SQL is PostgreSQL's"
)


def test_the_benchmark_data_loads_and_both_queries_agree(clinic_a: Any) -> None:
    from bench import report_bench

    with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
        report_bench.generate(
            clinic_a.clinic.pk, clinic_a.treatment.pk, clinic_a.practitioner.pk, 400, 80
        )
    results = report_bench.measure(clinic_a.clinic, runs=1)

    assert results and all(r["identical"] for r in results), results
    assert all(r["events_leads"] > 0 for r in results)
