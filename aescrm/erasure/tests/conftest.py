"""Fixtures of the erasure tests."""

from __future__ import annotations

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.services import erase_patient
from aescrm.erasure.tests.support import full_patient
from aescrm.inbox.tests.conftest import console  # noqa: F401 (a fixture)
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld


@pytest.fixture
def erased(clinic_a: ClinicWorld, console: None) -> Patient:  # noqa: F811 (console is a fixture)
    """Gwen, with records on every channel, erased: her email and phone are suppressed."""
    gwen = full_patient(clinic_a).patient
    with clinic_scope(clinic_a.clinic.pk):
        erase_patient(gwen, by=clinic_a.caller(), reason="asked")
    return gwen
