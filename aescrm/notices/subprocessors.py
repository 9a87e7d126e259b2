"""AES-CRM's sub-processors: the one table the notices and the records of processing use.

``used_for`` names the piece of live configuration that decides whether a
clinic's data reaches the sub-processor (see ``configuration.ClinicConfig``);
"platform" means every clinic, whatever it configured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubProcessor:
    key: str
    name: str
    purpose: str
    data: str
    location: str
    safeguards: str
    used_for: str


SUB_PROCESSORS: tuple[SubProcessor, ...] = (
    SubProcessor(
        key="supabase",
        name="Supabase Inc.",
        purpose="Managed PostgreSQL database hosting for the CRM",
        data="Everything the CRM holds; patient fields and message bodies only as ciphertext",
        location="UK / EU data centre (AWS London region); support staff in the USA",
        safeguards=(
            "Data stays in the UK region; any access from the USA under the UK International "
            "Data Transfer Addendum to the EU standard contractual clauses"
        ),
        used_for="database",
    ),
    SubProcessor(
        key="stripe",
        name="Stripe Payments Europe Ltd",
        purpose="Subscription billing of clinics (AES-CRM Ltd is the controller)",
        data="Clinic billing contact and payment details; no patient data",
        location="Ireland and the USA",
        safeguards=(
            "UK adequacy for the EEA; the UK Extension to the EU-US Data Privacy Framework "
            "and the UK Addendum for the USA"
        ),
        used_for="billing",
    ),
    SubProcessor(
        key="twilio",
        name="Twilio Inc.",
        purpose="Sending and receiving SMS, and routing phone calls",
        data="Patients' phone numbers, SMS text, call times and outcomes",
        location="USA (with EU edge locations)",
        safeguards=(
            "UK International Data Transfer Addendum to the EU standard contractual clauses; "
            "the UK Extension to the EU-US Data Privacy Framework"
        ),
        used_for="sms",
    ),
    SubProcessor(
        key="postmark",
        name="ActiveCampaign, LLC (Postmark)",
        purpose="Sending and receiving email, delivery and bounce reports",
        data="Patients' email addresses and the emails sent to and received from them",
        location="USA",
        safeguards="UK International Data Transfer Addendum to the EU standard contractual clauses",
        used_for="email",
    ),
    SubProcessor(
        key="google",
        name="Google Ireland Ltd (Google Ads)",
        purpose="Measuring which adverts led to enquiries and bookings (conversion uploads)",
        data="Google click ids, conversion time and value; no names or contact details",
        location="Ireland and the USA",
        safeguards=(
            "UK adequacy for the EEA; the UK Extension to the EU-US Data Privacy Framework"
        ),
        used_for="google",
    ),
    SubProcessor(
        key="meta",
        name="Meta Platforms Ireland Ltd",
        purpose="Measuring which adverts led to enquiries and bookings (Conversions API)",
        data=(
            "Meta click ids, conversion time and value, and email and phone only as SHA-256 hashes"
        ),
        location="Ireland and the USA",
        safeguards=(
            "UK adequacy for the EEA; the UK Extension to the EU-US Data Privacy Framework"
        ),
        used_for="meta",
    ),
)


def by_key(key: str) -> SubProcessor:
    return next(s for s in SUB_PROCESSORS if s.key == key)
