"""lock_until_commit only means something inside a transaction: outside one it refuses."""

from __future__ import annotations

import pytest
from django.db import transaction

from aescrm.core.locks import lock_until_commit


def test_it_refuses_outside_a_transaction(transactional_db: None, allow_audit_flush: None) -> None:
    with pytest.raises(RuntimeError, match="needs a transaction"):
        lock_until_commit("anything")


def test_it_can_be_taken_twice_in_one_transaction(
    transactional_db: None, allow_audit_flush: None
) -> None:
    with transaction.atomic():
        lock_until_commit("patient-phone:abc")
        lock_until_commit("patient-phone:abc")  # re-entrant for its own transaction
