"""``DbTools``: the engines' only way to the clinic's data (the ``Tools`` contract in engines/base).

Everything that changes something — the enquiry, the booking, the hand-over —
happens here, in its own transaction, under the website visitor's narrow
permissions, so neither engine can do more than a visitor filling in the
clinic's form could. The under-18 rule is enforced here too: no engine can
book a restricted treatment for someone who has not said they are 18 or over.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Scope
from aescrm.assistant import guardrails, nlu
from aescrm.assistant.engines.base import (
    BookingResult,
    KnowledgeDoc,
    KnowledgeHit,
    SlotOffer,
    VisitorDetails,
)
from aescrm.assistant.knowledge import docs_for_clinic
from aescrm.assistant.models import AssistantSettings, ChatSession, ChatTurn
from aescrm.assistant.wording import slot_label, when_label
from aescrm.automation.models import StaffNotification
from aescrm.core.problems import Conflict, DomainError, ValidationFailed
from aescrm.crypto.rekey import rekey
from aescrm.patients import services as patient_services
from aescrm.patients.models import EnquiryChannel, Practitioner, Treatment
from aescrm.patients.normalise import format_phone_national
from aescrm.public.services import enquiry_from_submission
from aescrm.public.submission import parse_submission
from aescrm.scheduling.availability import free_slots

# Offered slots are spread out so the visitor gets a real choice, not 10:00, 10:15, 10:30.
OFFER_GAP = dt.timedelta(hours=2)
MIN_NOTICE = dt.timedelta(hours=1)


class BookingRefused(DomainError):
    """The booking cannot be made; ``detail`` is said to the visitor as it is."""

    status = 422
    title = "Booking refused"
    type_slug = "booking-refused"


class SlotTaken(BookingRefused):
    pass


def assistant_caller(clinic: Clinic) -> Caller:
    """A visitor talking to the assistant: a lead, an enquiry and a booking, nothing else."""
    return Caller(
        clinic_id=clinic.pk,
        scopes=(
            Scope.PATIENTS_WRITE.value,
            Scope.ENQUIRIES_WRITE.value,
            Scope.APPOINTMENTS_WRITE.value,
        ),
    )


class DbTools:
    """The ``Tools`` of one clinic and one chat session (``session`` None: a staff preview).

    ``dry_run`` (the "test the assistant" panel) answers as if it had acted
    and writes nothing.
    """

    def __init__(
        self,
        clinic: Clinic,
        settings: AssistantSettings,
        session: ChatSession | None,
        *,
        attribution: Mapping[str, Any] | None = None,
        now: dt.datetime,
        dry_run: bool = False,
    ) -> None:
        self.clinic = clinic
        self.settings = settings
        self.session = session
        self.attribution = attribution or {}
        self.now = now
        self.dry_run = dry_run
        self.clinic_name = clinic.name
        self.booking_mode = settings.booking_mode
        self.urgent_phone = (
            format_phone_national(settings.urgent_phone)
            if settings.urgent_phone.startswith("+")
            else settings.urgent_phone
        )
        self.timezone = clinic.timezone
        self._docs: list[KnowledgeDoc] | None = None
        self.handed_over = ""

    # ---- reading -----------------------------------------------------------

    def knowledge(self) -> list[KnowledgeDoc]:
        if self._docs is None:
            self._docs = docs_for_clinic()
        return self._docs

    def search_knowledge(self, query: str, limit: int = 3) -> list[KnowledgeHit]:
        return nlu.rank(query, self.knowledge(), limit=limit)

    def find_slots(
        self, treatment_id: str, *, start: dt.datetime, end: dt.datetime, limit: int = 3
    ) -> list[SlotOffer]:
        treatment = self._treatment(treatment_id)
        # Nobody can reach a slot that starts in five minutes: offer from an hour ahead.
        start = max(start, self.now + MIN_NOTICE)
        if end <= start:
            return []
        end = min(end, start + dt.timedelta(days=31))
        offers: list[SlotOffer] = []
        for slot in free_slots(treatment, start, end, now=self.now):
            if offers and slot.starts_at - offers[-1].starts_at < OFFER_GAP:
                continue
            offers.append(
                SlotOffer(
                    treatment_id=str(treatment.pk),
                    practitioner_id=str(slot.practitioner.pk),
                    practitioner_name=slot.practitioner.display_name,
                    starts_at=slot.starts_at,
                    label=slot_label(slot.starts_at, self.timezone),
                )
            )
            if len(offers) == limit:
                break
        return offers

    # ---- acting ------------------------------------------------------------

    def create_enquiry(self, details: VisitorDetails, message: str) -> str:
        if self.dry_run:
            return "preview"
        with transaction.atomic():
            enquiry = enquiry_from_submission(
                self.clinic, self._submission(details, message), channel=EnquiryChannel.CHAT
            )
            self._link(patient_id=enquiry.patient_id, enquiry_id=enquiry.pk)
        return str(enquiry.pk)

    def book(self, details: VisitorDetails, slot: SlotOffer | None) -> BookingResult:
        treatment = self._treatment(details.treatment_id)
        facts = (treatment.name, treatment.category, treatment.prescription_medicine)
        # Toxin and fillers need a confirmed adult (arranging them for a child is an
        # offence); whitening is refused for someone known to be under 18.
        if (guardrails.age_check_before_booking(*facts) and details.adult is not True) or (
            guardrails.restricted_under_18(*facts) and details.adult is False
        ):
            raise BookingRefused(guardrails.under_18_refusal(treatment.name, treatment.category))
        if slot is None or self.booking_mode != "book":
            when = slot.label if slot else details.preferred_time
            note = f"Booking request from the website assistant. Preferred time: {when}"
            enquiry_id = self.create_enquiry(details, note)
            return BookingResult(
                booked=False, enquiry_id=enquiry_id, appointment_id=None, when_label=when
            )
        label = when_label(slot.starts_at, self.timezone)
        if self.dry_run:
            return BookingResult(
                booked=True, enquiry_id="preview", appointment_id="preview", when_label=label
            )
        practitioner = Practitioner.objects.filter(pk=slot.practitioner_id, active=True).first()
        if practitioner is None:
            raise SlotTaken("that time is no longer available")
        note = f"Booked by the website assistant for {label}."
        try:
            with transaction.atomic():
                enquiry = enquiry_from_submission(
                    self.clinic, self._submission(details, note), channel=EnquiryChannel.CHAT
                )
                appointment = patient_services.appointment_book(
                    caller=assistant_caller(self.clinic),
                    patient=enquiry.patient,
                    treatment=treatment,
                    practitioner=practitioner,
                    starts_at=slot.starts_at,
                )
                self._link(
                    patient_id=enquiry.patient_id,
                    enquiry_id=enquiry.pk,
                    appointment_id=appointment.pk,
                )
        except (Conflict, ValidationFailed) as exc:
            if getattr(exc, "field", None) in ("email", "phone", "first_name"):
                raise
            # Someone else took the time while the visitor was typing, or it has passed.
            raise SlotTaken("that time has just been taken") from exc
        return BookingResult(
            booked=True,
            enquiry_id=str(enquiry.pk),
            appointment_id=str(appointment.pk),
            when_label=label,
        )

    def hand_over(self, reason: str) -> None:
        self.handed_over = reason[:200] or "the visitor asked for a person"
        if self.dry_run or self.session is None:
            return
        session = self.session
        session.handoff_requested = True
        session.handoff_reason = self.handed_over
        ChatSession.objects.filter(pk=session.pk).update(
            handoff_requested=True, handoff_reason=session.handoff_reason
        )
        notify_staff(session, f"Website chat: {self.handed_over}. Please reply from the inbox.")

    # ---- helpers -----------------------------------------------------------

    def _treatment(self, treatment_id: str) -> Treatment:
        try:
            pk = uuid.UUID(str(treatment_id))
        except ValueError:
            pk = None
        treatment = Treatment.objects.filter(pk=pk, active=True).first() if pk else None
        if treatment is None:
            raise BookingRefused("I couldn't find that treatment in the clinic's list")
        return treatment

    def _submission(self, details: VisitorDetails, message: str) -> Any:
        treatment = (
            Treatment.objects.filter(pk=details.treatment_id).first()
            if details.treatment_id
            else None
        )
        data: dict[str, Any] = {
            "first_name": details.first_name,
            "last_name": details.last_name,
            "email": details.email,
            "phone": details.phone,
            "treatment": treatment.name if treatment else "",
            "message": message,
            "preferred_time": details.preferred_time,
            "consent": {c: details.consent.get(c, False) for c in ("sms", "email", "phone")},
            "consent_wording": details.consent_wording,
        }
        for name in ("first_touch", "last_touch"):
            if isinstance(self.attribution.get(name), Mapping):
                data[name] = self.attribution[name]
        return parse_submission(data)

    def _link(self, **ids: Any) -> None:
        if self.session is None:
            return
        for name, value in ids.items():
            setattr(self.session, name, value)
        ChatSession.objects.filter(pk=self.session.pk).update(**ids)
        if "patient_id" in ids:
            # What the visitor said before leaving their details moves under their key.
            rekey([self.session, *ChatTurn.objects.filter(session=self.session)])


def notify_staff(session: ChatSession, text: str) -> None:
    """A line on the team's dashboard (shared with the automations' "notify staff")."""
    StaffNotification.objects.create(patient_id=session.patient_id, text=text)
