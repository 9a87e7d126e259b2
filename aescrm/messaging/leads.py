"""Who is this number? The clinic's patient with it, or a new lead with an enquiry."""

from __future__ import annotations

from aescrm.accounts.caller import Caller
from aescrm.core.locks import lock_until_commit
from aescrm.crypto.keys import blind_index
from aescrm.patients import services as patient_services
from aescrm.patients.models import EnquiryChannel, Patient, Stage
from aescrm.public.services import find_patient

# How a new lead is named until someone learns their name, by how they got in touch.
UNKNOWN_LAST_NAMES = {
    EnquiryChannel.SMS: "(SMS enquiry)",
    EnquiryChannel.PHONE: "(phone enquiry)",
}


def patient_for_phone(caller: Caller, phone: str, *, channel: str, enquiry: str) -> Patient:
    """The active clinic's patient with this phone (E.164), else a new lead who enquired by
    ``channel`` saying ``enquiry``. Runs inside the webhook's transaction."""
    patient = find_patient("", phone)
    if patient is not None:
        return patient
    # Texts or calls from a new number arriving together: one makes the lead, the
    # others wait here until it commits and then find it (else each made a lead).
    lock_until_commit(f"patient-phone:{blind_index(caller.clinic_id, 'phone', phone)}")
    patient = find_patient("", phone)
    if patient is not None:
        return patient
    patient = patient_services.patient_create(
        caller=caller,
        data=patient_services.PatientInput(
            first_name="Unknown",
            last_name=UNKNOWN_LAST_NAMES.get(EnquiryChannel(channel), "(enquiry)"),
            phone=phone,
            stage=Stage.LEAD,
        ),
        self_initiated=True,  # they texted or called the clinic
    )
    patient_services.enquiry_create(
        caller=caller,
        patient=patient,
        channel=channel,
        message=enquiry[: patient_services.TEXT_MAX],
    )
    return patient
