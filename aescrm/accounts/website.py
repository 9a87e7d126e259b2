"""A clinic's website settings: the domains its widget may post from, and its thank-you page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed

MAX_DOMAINS = 20
# A host name as people type it: labels of letters, digits and hyphens, an optional port.
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$")
_LOCAL = re.compile(r"^(localhost|127\.0\.0\.1)(:\d{1,5})?$")


def clean_domain(text: str) -> str:
    """``https://www.Clinic.co.uk/contact`` → ``www.clinic.co.uk``; refuses what is no host."""
    value = text.strip().lower()
    if "//" in value:
        try:
            parts = urlsplit(value)
            value = parts.netloc
        except ValueError:
            value = ""
    value = value.split("/")[0].rstrip(".")
    if not (_HOST.match(value) or _LOCAL.match(value)):
        raise ValidationFailed(
            f"“{text.strip()}” is not a website address (e.g. www.yourclinic.co.uk)",
            field="website_domains",
        )
    return value


def clean_thank_you_url(text: str) -> str:
    value = text.strip()
    if not value:
        return ""
    if any(not ch.isprintable() for ch in value):
        # A line break would split the Location header the address is sent in.
        raise ValidationFailed(
            "the thank-you address must be one line without control characters",
            field="thank_you_url",
        )
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    local = parts is not None and parts.hostname in ("localhost", "127.0.0.1")
    if (
        parts is None
        or not parts.hostname
        or not (parts.scheme == "https" or (parts.scheme == "http" and local))
    ):
        raise ValidationFailed(
            "the thank-you page must be a full https:// address", field="thank_you_url"
        )
    if len(value) > 500:
        raise ValidationFailed(
            "the thank-you address is longer than 500 characters", field="thank_you_url"
        )
    return value


def website_update(
    *, caller: Caller, clinic: Clinic, domains: list[str], thank_you_url: str
) -> list[str]:
    """Set the clinic's website domains and thank-you page; the fields changed (audited)."""
    caller.require(Perm.SETTINGS_MANAGE)
    if clinic.pk != caller.clinic_id:
        raise ValidationFailed("not this clinic", field="clinic")
    cleaned: list[str] = []
    for entry in domains:
        if entry.strip():
            domain = clean_domain(entry)
            if domain not in cleaned:
                cleaned.append(domain)
    if len(cleaned) > MAX_DOMAINS:
        raise ValidationFailed(f"at most {MAX_DOMAINS} website addresses", field="website_domains")
    url = clean_thank_you_url(thank_you_url)
    changed = [
        name
        for name, new in (("website_domains", cleaned), ("thank_you_url", url))
        if getattr(clinic, name) != new
    ]
    if changed:
        with transaction.atomic():
            clinic.website_domains = cleaned
            clinic.thank_you_url = url
            clinic.save(update_fields=changed)
            audit_record(
                "clinic.website_update",
                object_type="clinic",
                object_id=clinic.pk,
                detail={"fields": changed},
            )
    return changed
