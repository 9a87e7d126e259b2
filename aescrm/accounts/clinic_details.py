"""A clinic's own details: its name, time zone and website addresses (onboarding step 1)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.accounts.website import MAX_DOMAINS, clean_domain
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed

# Offered first: where UK clinics and their patients are (Crown dependencies included).
UK_TIMEZONES = (
    "Europe/London",
    "Europe/Guernsey",
    "Europe/Isle_of_Man",
    "Europe/Jersey",
    "Europe/Dublin",
    "Europe/Gibraltar",
)


@cache
def all_timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def clean_timezone(value: str) -> str:
    value = value.strip()
    if value not in zoneinfo.available_timezones():
        raise ValidationFailed(
            f"“{value}” is not a time zone; choose one from the list, e.g. Europe/London",
            field="timezone",
        )
    return value


def clean_domains(lines: list[str]) -> list[str]:
    cleaned: list[str] = []
    for entry in lines:
        if entry.strip():
            domain = clean_domain(entry)
            if domain not in cleaned:
                cleaned.append(domain)
    if len(cleaned) > MAX_DOMAINS:
        raise ValidationFailed(f"at most {MAX_DOMAINS} website addresses", field="website_domains")
    return cleaned


def clinic_details_update(
    *, caller: Caller, clinic: Clinic, name: str, timezone_name: str, domains: list[str]
) -> list[str]:
    """Set the clinic's name, time zone and website addresses; the fields changed (audited)."""
    caller.require(Perm.SETTINGS_MANAGE)
    if clinic.pk != caller.clinic_id:
        raise ValidationFailed("not this clinic", field="clinic")
    clean_name = " ".join(name.split())
    if not clean_name:
        raise ValidationFailed("enter the clinic's name", field="name")
    if len(clean_name) > 200:
        raise ValidationFailed("the clinic's name must be at most 200 characters", field="name")
    values = {
        "name": clean_name,
        "timezone": clean_timezone(timezone_name),
        "website_domains": clean_domains(domains),
    }
    changed = [field for field, value in values.items() if getattr(clinic, field) != value]
    if changed:
        with transaction.atomic():
            for field in changed:
                setattr(clinic, field, values[field])
            clinic.save(update_fields=changed)
            audit_record(
                "clinic.details_update",
                object_type="clinic",
                object_id=clinic.pk,
                clinic_id=clinic.pk,
                detail={"fields": changed},
            )
    return changed
