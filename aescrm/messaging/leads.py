"""Who is this number? The clinic's patient with it, or a new lead with an enquiry."""

from __future__ import annotations

from aescrm.accounts.caller import Caller
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
    ``channel`` saying ``enquiry``."""
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
    )
    patient_services.enquiry_create(
        caller=caller,
        patient=patient,
        channel=channel,
        message=enquiry[: patient_services.TEXT_MAX],
    )
    return patient
