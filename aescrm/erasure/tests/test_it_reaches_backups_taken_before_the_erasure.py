"""Acceptance: a copy of the database taken before an erasure no longer decrypts the person.

Gwen has a record, notes, an enquiry with ad clicks, appointments, an SMS each
way, an email and a website chat; Rhian has the same. A real copy of the
database is taken (SQLite backup API / pg_dump), Gwen is erased, and then
every encrypted value in the copy is tried: nothing of Gwen's opens, and
Rhian's all do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import Visit, stock
from aescrm.core.tenancy import TenantModel, clinic_scope
from aescrm.crypto import keys
from aescrm.crypto.errors import PatientKeyDestroyed
from aescrm.crypto.rekey import encrypted_fields
from aescrm.erasure.services import erase_patient
from aescrm.erasure.tests.support import EMAIL, full_patient
from aescrm.keyvault.tests.backup import database_copy
from aescrm.messaging.models import Message
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db(transaction=True)


def _everything_readable(alias: str) -> tuple[list[str], int]:
    """Every encrypted value in the copy that still decrypts, and how many did not."""
    from django.apps import apps

    readable: list[str] = []
    refused = 0
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        names = [f.attname for f in encrypted_fields(model)]
        if not names:
            continue
        for row in model.objects.using(alias).all():
            for name in names:
                try:
                    value = getattr(row, name)
                except PatientKeyDestroyed:
                    refused += 1
                    continue
                if value:
                    readable.append(str(value))
    return readable, refused


def test_a_backup_from_before_the_erasure_reveals_nothing_of_the_person(
    clinic_a: ClinicWorld, console: None, allow_audit_flush: None, tmp_path: Path
) -> None:
    gwen = full_patient(clinic_a)
    rhian = full_patient(
        clinic_a, first="Rhian", email="rhian@example.org", phone="07700900888", hour=14
    )
    stock(clinic_a.clinic)
    chat = Visit(clinic_a.clinic)
    for line in ("Can someone call me back?", "Gwen Morgan", "07700 900777"):
        chat.say(line)
    with clinic_scope(clinic_a.clinic.pk):
        session = ChatSession.objects.get(pk=chat.session().pk)
        assert session.patient_id == gwen.patient.pk  # the chat found her by phone
        assert ChatTurn.objects.filter(session=session).count() >= 6
        assert Message.objects.filter(patient=gwen.patient).count() >= 3

    with database_copy(tmp_path) as before_erasure:
        with clinic_scope(clinic_a.clinic.pk):
            erase_patient(gwen.patient, by=clinic_a.caller("manager"), reason="asked")
        keys.clear_key_cache()  # restoring the backup: a fresh process, no key in memory

        with clinic_scope(clinic_a.clinic.pk):
            # The copy still has Gwen's rows, but none of her fields open...
            then = Patient.objects.using(before_erasure).get(pk=gwen.patient.pk)
            with pytest.raises(PatientKeyDestroyed):
                _ = then.first_name
            readable, refused = _everything_readable(before_erasure)

    text = "\n".join(readable)
    for of_gwen in ("Gwen", EMAIL, "+447700900777", "07700 900777"):
        assert of_gwen not in text, f"{of_gwen!r} is still readable in the backup"
    assert refused >= 15  # her name, contact details, notes, enquiry, messages, chat turns
    # ... while Rhian's record, messages and notes read as before.
    for of_rhian in ("Rhian", "rhian@example.org", "Prefers mornings", "See you soon"):
        assert of_rhian in text
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.get(pk=rhian.patient.pk).first_name == "Rhian"
