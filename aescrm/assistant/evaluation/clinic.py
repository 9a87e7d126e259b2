"""The evaluation clinic, built from the suite's `clinic` section inside the run's transaction."""

from __future__ import annotations

import uuid

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Role
from aescrm.accounts.services import clinic_create
from aescrm.assistant.evaluation.suite import ClinicSpec
from aescrm.assistant.models import AssistantSettings, KnowledgeItem
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment, WorkingHours
from aescrm.patients.services import PatientInput, patient_create
from aescrm.scheduling.models import ScheduleSettings


def build_clinic(spec: ClinicSpec) -> Clinic:
    # A slug no real clinic has; the row is rolled back with the rest of the run.
    clinic = clinic_create(name=spec.name, slug=f"eval-{uuid.uuid4().hex[:12]}", automations=False)
    caller = Caller(clinic_id=clinic.pk, role=Role.OWNER.value)
    with clinic_scope(clinic.pk):
        # Open on bank holidays too, so the offered slots depend on --now alone.
        ScheduleSettings.objects.create(closed_on_bank_holidays=False)
        AssistantSettings.objects.create(
            urgent_phone=spec.urgent_phone, booking_mode=spec.booking_mode
        )
        for treatment in spec.treatments:
            Treatment.objects.create(
                name=treatment.name,
                category=treatment.category,
                price_pence=treatment.price_pence,
                duration_minutes=treatment.duration_minutes,
                prescription_medicine=treatment.prescription_medicine,
            )
        for person in spec.practitioners:
            practitioner = Practitioner.objects.create(
                display_name=person.display_name, profession=person.profession
            )
            for weekday, (starts, ends) in sorted(person.hours.items()):
                WorkingHours.objects.create(
                    practitioner=practitioner, weekday=weekday, starts=starts, ends=ends
                )
        for item in spec.knowledge:
            KnowledgeItem.objects.create(
                kind=item.kind, title=item.title, answer=item.answer, keywords=item.keywords
            )
        for patient in spec.patients:
            patient_create(
                caller=caller,
                data=PatientInput(
                    first_name=patient.first_name,
                    last_name=patient.last_name,
                    phone=patient.phone,
                    email=patient.email,
                ),
            )
    return clinic
