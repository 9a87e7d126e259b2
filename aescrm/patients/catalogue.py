"""The clinic's catalogue: its treatments and practitioners (Settings → Treatments and
Settings → Practitioners).

Owners and managers (``Perm.CATALOGUE_EDIT``). Nothing is ever deleted:
appointments, reports and the website assistant refer to both, so retiring one
is archiving it (``active = False``) and it can be restored. Every change is
audited with the names of the fields changed, never their values. The
assistant's knowledge follows on its own: it fingerprints the treatments
(``aescrm.assistant.knowledge._docs_version``) each time it is asked.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Membership, User
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, NotFound, ValidationFailed
from aescrm.patients.models import HOLDS_TIME, Appointment, Practitioner, Treatment

DURATION_MINUTES = (5, 600)
BUFFER_MINUTES = (0, 240)
# £100,000: far above any treatment; a typo guard (a price typed in pence as pounds).
PRICE_MAX_PENCE = 100_000 * 100


def _text(value: Any, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationFailed(f"enter the {label}", field=field)
    if len(value) > limit or "\x00" in value:
        raise ValidationFailed(
            f"the {label} must be plain text of at most {limit} characters", field=field
        )
    return value


def _minutes(value: Any, field: str, label: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    try:
        minutes = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError as exc:
        raise ValidationFailed(
            f"the {label} must be a whole number of minutes", field=field
        ) from exc
    if isinstance(minutes, bool) or not low <= minutes <= high:
        raise ValidationFailed(f"the {label} must be {low} to {high} minutes", field=field)
    return minutes


def price_to_pence(text: str, field: str = "price") -> int:
    """A price typed in pounds ("£250", "250", "1,249.99") in pence."""
    typed = (text or "").strip()
    cleaned = typed.replace(" ", "").removeprefix("£").replace("-£", "-")
    if not cleaned:
        raise ValidationFailed("enter the price in pounds, like 250 or 249.99", field=field)
    # Commas only as thousands separators: "2,50" is not read as £250.
    if "," in cleaned and not _THOUSANDS.fullmatch(cleaned):
        raise _not_a_price(typed, field)
    cleaned = cleaned.replace(",", "")
    if not _POUNDS.fullmatch(cleaned):
        raise _not_a_price(typed, field)
    pounds = Decimal(cleaned)
    if pounds < 0:
        raise ValidationFailed("the price cannot be negative", field=field)
    if "." in cleaned and len(cleaned.split(".")[1]) > 2:
        raise ValidationFailed("the price can have at most 2 decimal places (pence)", field=field)
    pence = int(pounds * 100)
    if pence > PRICE_MAX_PENCE:
        raise ValidationFailed("the price must be at most £100,000", field=field)
    return pence


_POUNDS = re.compile(r"-?(\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d*)?")


def _not_a_price(typed: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        f"{typed!r} is not a price: enter pounds, like 250 or 249.99", field=field
    )


def _pence(value: Any, field: str = "price_pence") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("the price must be a whole number of pence", field=field)
    if value < 0:
        raise ValidationFailed("the price cannot be negative", field=field)
    if value > PRICE_MAX_PENCE:
        raise ValidationFailed("the price must be at most £100,000", field=field)
    return value


def _uuid(value: Any, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"no such {label}", field=label) from exc


M = TypeVar("M", bound=models.Model)


def _one(queryset: QuerySet[M], object_id: Any, label: str) -> M:
    """One row of the active clinic by id; another clinic's (or a malformed id) is not found."""
    found = queryset.filter(pk=_uuid(object_id, label)).first()
    if found is None:
        raise NotFound(f"no such {label}", field=label)
    return found


# ---------------------------------------------------------------------------
# Treatments
# ---------------------------------------------------------------------------


@dataclass
class TreatmentInput:
    name: str
    duration_minutes: int
    price_pence: int
    category: str = ""
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    prescription_medicine: bool = False


def _clean_treatment(data: TreatmentInput, *, exclude: Any = None) -> dict[str, Any]:
    name = _text(data.name, "name", "name", 120, required=True)
    others = Treatment.objects.filter(name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.first()
    if clash is not None:
        archived = "" if clash.active else " (archived: restore it instead)"
        raise Conflict(f"a treatment called '{clash.name}' already exists{archived}", field="name")
    return {
        "name": name,
        "category": _text(data.category, "category", "category", 60),
        "duration_minutes": _minutes(
            data.duration_minutes, "duration_minutes", "length", DURATION_MINUTES
        ),
        "buffer_before_minutes": _minutes(
            data.buffer_before_minutes, "buffer_before_minutes", "time before", BUFFER_MINUTES
        ),
        "buffer_after_minutes": _minutes(
            data.buffer_after_minutes, "buffer_after_minutes", "time after", BUFFER_MINUTES
        ),
        "price_pence": _pence(data.price_pence),
        "prescription_medicine": bool(data.prescription_medicine),
    }


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a treatment called '{name}' already exists", field="name")


def treatment_get(treatment_id: Any) -> Treatment:
    """One of the clinic's treatments (archived too); another clinic's is not found."""
    return _one(Treatment.objects.all(), treatment_id, "treatment")


def treatment_create(*, caller: Caller, data: TreatmentInput) -> Treatment:
    caller.require(Perm.CATALOGUE_EDIT)
    values = _clean_treatment(data)
    try:
        with transaction.atomic():
            treatment = Treatment.objects.create(**values)
            audit_record(
                "treatment.create",
                object_type="treatment",
                object_id=treatment.pk,
                detail={"fields": sorted(values)},
            )
    except IntegrityError as exc:  # the same name saved at the same moment
        raise _name_taken(values["name"]) from exc
    return treatment


def treatment_update(*, caller: Caller, treatment: Treatment, data: TreatmentInput) -> list[str]:
    """Change what was posted; the names of the fields that changed."""
    caller.require(Perm.CATALOGUE_EDIT)
    values = _clean_treatment(data, exclude=treatment.pk)
    changed = [f for f, v in values.items() if getattr(treatment, f) != v]
    if not changed:
        return []
    for f in changed:
        setattr(treatment, f, values[f])
    try:
        with transaction.atomic():
            treatment.save(update_fields=changed)
            audit_record(
                "treatment.update",
                object_type="treatment",
                object_id=treatment.pk,
                detail={"fields": changed},
            )
    except IntegrityError as exc:
        raise _name_taken(values["name"]) from exc
    return changed


def treatment_set_active(*, caller: Caller, treatment: Treatment, active: bool) -> bool:
    """Archive (no new bookings; booked appointments stay) or restore; False if unchanged."""
    caller.require(Perm.CATALOGUE_EDIT)
    if treatment.active == active:
        return False
    treatment.active = active
    with transaction.atomic():
        treatment.save(update_fields=["active"])
        audit_record(
            "treatment.restore" if active else "treatment.archive",
            object_type="treatment",
            object_id=treatment.pk,
            detail={"fields": ["active"]},
        )
    return True


def treatment_input_of(treatment: Treatment, **changes: Any) -> TreatmentInput:
    """The treatment as it is, with ``changes``: for partial updates (the API's PATCH)."""
    current = {f.name: getattr(treatment, f.name) for f in fields(TreatmentInput)}
    return TreatmentInput(**{**current, **changes})


# ---------------------------------------------------------------------------
# Practitioners
# ---------------------------------------------------------------------------


@dataclass
class PractitionerInput:
    display_name: str
    profession: str = ""
    registration: str = ""
    # A member of the clinic this practitioner signs in as (their own diary and patients).
    user_id: Any = None


def practitioner_user_choices(*, caller: Caller) -> list[User]:
    """The clinic's members a practitioner may be linked to, by name."""
    caller.require(Perm.CATALOGUE_EDIT)
    users = [
        m.user for m in Membership.objects.filter(clinic_id=caller.clinic_id).select_related("user")
    ]
    return sorted(users, key=lambda u: (u.full_name or u.email).lower())


def _member(caller: Caller, user_id: Any, current: Any = None) -> uuid.UUID | None:
    if user_id in (None, ""):
        return None
    try:
        wanted = uuid.UUID(str(user_id))
    except ValueError as exc:
        raise ValidationFailed("choose a member of this clinic", field="user") from exc
    if wanted == current:
        return wanted  # left as it was (even if they have since left the team)
    if not Membership.objects.filter(clinic_id=caller.clinic_id, user_id=wanted).exists():
        # Another clinic's user, or someone since removed: not offered, so not accepted.
        raise ValidationFailed("choose a member of this clinic", field="user")
    return wanted


def _clean_practitioner(
    caller: Caller, data: PractitionerInput, current: Practitioner | None = None
) -> dict[str, Any]:
    return {
        "display_name": _text(data.display_name, "display_name", "name", 120, required=True),
        "profession": _text(data.profession, "profession", "profession", 80),
        "registration": _text(data.registration, "registration", "registration number", 40),
        "user_id": _member(caller, data.user_id, current.user_id if current else None),
    }


def practitioner_get(practitioner_id: Any) -> Practitioner:
    """One of the clinic's practitioners (archived too); another clinic's is not found."""
    return _one(Practitioner.objects.all(), practitioner_id, "practitioner")


def practitioner_create(*, caller: Caller, data: PractitionerInput) -> Practitioner:
    caller.require(Perm.CATALOGUE_EDIT)
    values = _clean_practitioner(caller, data)
    with transaction.atomic():
        practitioner = Practitioner.objects.create(**values)
        audit_record(
            "practitioner.create",
            object_type="practitioner",
            object_id=practitioner.pk,
            detail={"fields": sorted(k.removesuffix("_id") for k in values)},
        )
    return practitioner


def practitioner_update(
    *, caller: Caller, practitioner: Practitioner, data: PractitionerInput
) -> list[str]:
    caller.require(Perm.CATALOGUE_EDIT)
    values = _clean_practitioner(caller, data, practitioner)
    changed = [f for f, v in values.items() if getattr(practitioner, f) != v]
    if not changed:
        return []
    for f in changed:
        setattr(practitioner, f, values[f])
    with transaction.atomic():
        practitioner.save(update_fields=changed)
        audit_record(
            "practitioner.update",
            object_type="practitioner",
            object_id=practitioner.pk,
            detail={"fields": [f.removesuffix("_id") for f in changed]},
        )
    return [f.removesuffix("_id") for f in changed]


def practitioner_set_active(*, caller: Caller, practitioner: Practitioner, active: bool) -> int:
    """Archive (no new bookings) or restore. Appointments already booked with them stay:
    the number still ahead, so the page can say to move them."""
    caller.require(Perm.CATALOGUE_EDIT)
    if practitioner.active != active:
        practitioner.active = active
        with transaction.atomic():
            practitioner.save(update_fields=["active"])
            audit_record(
                "practitioner.restore" if active else "practitioner.archive",
                object_type="practitioner",
                object_id=practitioner.pk,
                detail={"fields": ["active"]},
            )
    if active:
        return 0
    return Appointment.objects.filter(
        practitioner=practitioner, status__in=HOLDS_TIME, starts_at__gte=timezone.now()
    ).count()


def practitioner_input_of(practitioner: Practitioner, **changes: Any) -> PractitionerInput:
    current = {f.name: getattr(practitioner, f.name) for f in fields(PractitionerInput)}
    return PractitionerInput(**{**current, **changes})
