"""The suppression list: keyed hashes of erased people's email addresses and phone numbers.

Who consults it, and what it does (docs/decisions/0025):

- staff and API creating a patient: refused with a 409 problem that says when
  the person asked to be erased, unless the caller confirms the person came
  back of their own accord (``confirm_erased``); confirming lifts the entry;
- the person getting in touch again themselves (the website form, the chat,
  a text, a call or an email from them): accepted as a new lead, and the entry
  is lifted, because re-contact the person starts is allowed (audited);
- the sending policy (``aescrm.messaging.policy``): no SMS to a suppressed
  phone and no email to a suppressed address, so automation and bulk sends skip
  them even if the address reached a record some other way.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict
from aescrm.core.tenancy import current_clinic_id
from aescrm.crypto.keys import blind_index
from aescrm.erasure.models import AddressKind, Erasure, Suppression
from aescrm.patients.models import Patient
from aescrm.patients.normalise import clean_phone, normalise_email


def address_hash(kind: str, value: str) -> str | None:
    """The active clinic's keyed hash of an address, as ``Patient.<kind>_bidx`` holds it."""
    value = (value or "").strip()
    if not value:
        return None
    if kind == AddressKind.EMAIL:
        normalised = normalise_email(value)
    else:
        try:
            normalised = clean_phone(value)
        except ValueError:
            normalised = value
    return blind_index(current_clinic_id(), kind, normalised)


def patient_hashes(patient: Patient) -> dict[str, str]:
    """The patient's address hashes by kind (their blind indexes, computed if not saved yet)."""
    hashes: dict[str, str] = {}
    for kind in AddressKind.values:
        value = getattr(patient, kind)
        if not value:
            continue
        index_field = Patient._meta.get_field(f"{kind}_bidx")
        hashes[kind] = str(index_field.pre_save(patient, add=False))  # type: ignore[union-attr]
    return hashes


def _matching(hashes: dict[str, str]) -> Q | None:
    match = Q()
    for kind, value in hashes.items():
        match |= Q(kind=kind, value_hash=value)
    return match or None


def suppressions_for(hashes: dict[str, str]) -> list[Suppression]:
    match = _matching(hashes)
    if match is None:
        return []
    return list(Suppression.objects.filter(match).order_by("created_at"))


def suppressed_address(patient: Patient, channel: str) -> Suppression | None:
    """The entry stopping messages to this patient on ``channel`` (sms or email), or None."""
    kind = AddressKind.PHONE if channel == "sms" else AddressKind.EMAIL
    value_hash = getattr(patient, f"{kind}_bidx", None)
    if not value_hash:
        return None
    return Suppression.objects.filter(kind=kind, value_hash=value_hash).first()


def suppress(hashes: dict[str, str], *, erasure: Erasure | None, by_id: object) -> int:
    """Add the addresses (once each). Returns how many entries are new."""
    added = 0
    for kind, value in hashes.items():
        _, created = Suppression.objects.get_or_create(
            kind=kind,
            value_hash=value,
            defaults={"erasure": erasure, "created_by_id": by_id},
        )
        added += int(created)
    return added


class ErasedPerson(Conflict):
    """A 409 problem: the new patient's address belongs to someone who was erased."""

    title = "This person asked to be erased"
    type_slug = "erased-person"


def _on_day(entry: Suppression) -> str:
    local = timezone.localtime(entry.created_at)
    return f"{local.day} {local:%B %Y}"


def check_new_patient(
    patient: Patient, *, self_initiated: bool, confirmed: bool, kinds: tuple[str, ...] = ()
) -> None:
    """Run before a new patient is saved: refuse, or accept and lift (see the module doc).

    ``kinds`` ("email", "phone") narrows the check to addresses being changed on an
    existing record: a correction to an erased person's address is asked about too.
    """
    hashes = patient_hashes(patient)
    if kinds:
        hashes = {kind: value for kind, value in hashes.items() if kind in kinds}
    entries = suppressions_for(hashes)
    if not entries:
        return
    if not (self_initiated or confirmed):
        field = entries[0].kind
        raise ErasedPerson(
            f"this person asked to be erased on {_on_day(entries[0])}: their "
            f"{'email address' if field == 'email' else 'phone number'} is on the suppression "
            "list. Add them again only if they got in touch again and asked you to: confirm to "
            "proceed (confirm_erased).",
            field=field,
            erased_on=entries[0].created_at.date().isoformat(),
        )
    lift(entries, why="self_initiated" if self_initiated else "staff_confirmed")


def lift(entries: list[Suppression], *, why: str) -> None:
    """Remove entries (the person came back); the audit log keeps when and why."""
    for entry in entries:
        audit_record(
            "privacy.suppression.lifted",
            object_type="suppression",
            object_id=entry.pk,
            detail={"kind": entry.kind, "why": why, "erasure": str(entry.erasure_id or "")},
        )
    Suppression.objects.filter(pk__in=[e.pk for e in entries]).delete()
