"""Two copies of one submission at the same moment (a double click): one enquiry, one answer."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from aescrm.public.tests.support import enquiries, enquiry, patients, post_json


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_with_one_key_create_one_enquiry(
    allow_audit_flush: None, clinic_a: Any
) -> None:
    barrier = threading.Barrier(4)
    answers: list[tuple[int, bytes]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="double-click")
            answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 4
    assert {status for status, _ in answers} == {201}
    assert len({body for _, body in answers}) == 1
    assert len(enquiries(clinic_a.clinic)) == 1
    assert len(patients(clinic_a.clinic)) == 1
