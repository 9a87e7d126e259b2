"""The consent ledger is the record (the flags are derived from it), an objection to direct
marketing withdraws every channel at once, and each corrected field keeps its old value and
reaches messages not yet sent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services as messaging
from aescrm.messaging.models import Message
from aescrm.messaging.policy import MessageRefused
from aescrm.messaging.tests.senders import connect_all_day
from aescrm.patients import consent, rights, services
from aescrm.patients.models import ConsentEvent, FieldChange
from aescrm.testing.fixtures import ClinicWorld


def test_the_current_consent_is_the_latest_ledger_entry_per_purpose(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900401", consent={"sms": True})
    with clinic_scope(clinic_a.clinic.pk):
        consent.consent_change(
            caller=clinic_a.caller(),
            patient=patient,
            changes={"email": True, "ad_measurement": False},
            source="api",
            wording="Tick to hear from us",
        )
        state = consent.consent_state(patient)
        ledger = [(e.purpose, e.granted, e.source) for e in consent.consent_ledger(patient)]
        patient.refresh_from_db()
    assert {p: s.granted for p, s in state.items()} == {
        "sms_marketing": True,
        "email_marketing": True,
        "phone_marketing": None,
        "ad_measurement": False,
    }
    # The cached flags agree with the ledger.
    assert (patient.consent_sms, patient.consent_email, patient.consent_phone) == (
        True,
        True,
        False,
    )
    assert patient.consent_ad_measurement is False
    assert sorted(ledger) == [
        ("ad_measurement", False, "api"),
        ("email_marketing", True, "api"),
        ("sms_marketing", True, "staff"),
    ]


def test_an_objection_to_direct_marketing_withdraws_every_channel_and_refuses_marketing(
    clinic_a: ClinicWorld,
) -> None:
    connect_all_day(clinic_a)
    patient = clinic_a.make_patient(
        phone="07700 900402", email="o@example.com", consent={"sms": True, "email": True}
    )
    with clinic_scope(clinic_a.clinic.pk):
        rights.object_to(
            caller=clinic_a.caller(), patient=patient, kind="marketing", reason="Phoned to object"
        )
        withdrawn = set(
            ConsentEvent.objects.filter(patient=patient, granted=False).values_list(
                "purpose", "source"
            )
        )
        try:
            messaging.message_queue(
                caller=clinic_a.caller(), patient=patient, body="Offer", kind="marketing"
            )
        except MessageRefused as exc:
            refused = exc.reason
        # Service messages still go (an objection is not a restriction).
        messaging.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hi", kind="service"
        )
        audited = AuditEntry.objects.filter(action="patient.object_marketing").count()
    # Phone marketing was never given: nothing to withdraw there.
    assert withdrawn == {("sms_marketing", "objection"), ("email_marketing", "objection")}
    assert refused == "opted_out"
    assert audited == 1


def test_a_corrected_phone_keeps_the_old_one_encrypted_and_readdresses_queued_texts(
    clinic_a: ClinicWorld,
) -> None:
    connect_all_day(clinic_a)
    patient = clinic_a.make_patient(first_name="Jon", phone="07700 900403")
    with clinic_scope(clinic_a.clinic.pk):
        later = messaging.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Reminder", kind="service"
        )
        Message.objects.filter(pk=later.pk).update(
            next_attempt_at=timezone.now() + dt.timedelta(days=1)
        )
        services.patient_update(
            caller=clinic_a.caller(),
            patient=patient,
            data=services.PatientInput(first_name="John", phone="07700 900499"),
        )
        later.refresh_from_db()
        changes = {c.field: str(c.old_value) for c in FieldChange.objects.filter(patient=patient)}
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT old_value FROM patients_fieldchange")
            stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert changes == {"first_name": "Jon", "phone": "+447700900403"}
    assert "Jon" not in stored and "900403" not in stored  # encrypted at rest
    assert str(later.to_address) == "+447700900499"
