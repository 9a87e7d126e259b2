"""The processor's record of processing (UK GDPR Article 30(2)) from the live configuration.

AES-CRM Ltd keeps one record per clinic it processes for: the categories of
data and processing, the sub-processors the clinic's data reaches (and the
transfers and safeguards that come with them), retention and the security
measures. Nothing here is stored: each view reads the configuration afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from aescrm.accounts.models import Clinic
from aescrm.assistant.models import EngineChoice
from aescrm.core.tenancy import unscoped
from aescrm.notices.configuration import ClinicConfig, clinic_config
from aescrm.notices.content import RETENTION
from aescrm.notices.subprocessors import SUB_PROCESSORS, SubProcessor

PROCESSOR = "AES-CRM Ltd, processor for each clinic (the controller) named below"

SECURITY_MEASURES = (
    "Patient fields and message bodies encrypted at rest with AES-256-GCM under a data key "
    "per clinic, wrapped by a master key; destroying a clinic's keys makes its data and its "
    "backups unreadable",
    "Look-ups by email and phone through keyed blind indexes (HMAC-SHA-256), never plain values",
    "TLS 1.3 in transit, HSTS, secure HttpOnly SameSite cookies, a strict content security policy",
    "Tenant isolation twice over: every query scoped to one clinic in the application, and "
    "PostgreSQL row-level security on every clinic table",
    "A tamper-evident, hash-chained audit log of every read, search, export and change of "
    "patient data, every sign-in and permission change",
    "Role-based access per clinic; two-factor authentication required for owners and managers",
    "AES-CRM support staff see a clinic's data only through a time-limited grant the clinic's "
    "owner approves, every access audited",
)


@dataclass(frozen=True)
class Recipient:
    sub: SubProcessor
    in_use: bool


@dataclass(frozen=True)
class ClinicRecord:
    clinic: Clinic
    config: ClinicConfig
    categories_of_data: tuple[str, ...]
    processing: tuple[str, ...]
    recipients: tuple[Recipient, ...]
    other_recipients: tuple[str, ...]
    retention: tuple[tuple[str, str], ...]

    @property
    def transfers(self) -> list[Recipient]:
        return [r for r in self.recipients if r.in_use]


def clinic_record(clinic: Clinic) -> ClinicRecord:
    config = clinic_config(clinic)
    data = [
        "Patient contact details (name, email, phone, date of birth, address)",
        "Health information in enquiries, appointments, treatments and clinical notes "
        "(special category data)",
        "Consent and marketing preferences, with their history",
        "Marketing attribution (click ids, campaign and source parameters, pages, referrer)",
        "Staff accounts of the clinic (name, email, role, sign-ins)",
    ]
    if config.channels:
        data.insert(3, "Communication history: " + ", ".join(config.channels))
    processing = [
        "Storage and retrieval of patient records, enquiries and appointments",
        "Appointment booking, reminders and follow-ups (automation)",
        "Lead prioritisation to order the team's work (assistive only)",
        "Reports on which campaigns led to bookings",
        "Answering requests under data protection law (access, erasure and the rest)",
    ]
    if config.sms or config.email or config.calls:
        processing.insert(2, "Sending and receiving messages: " + ", ".join(config.channels))
    if config.chat:
        engine = (
            f"an external language model ({config.llm_host})"
            if config.engine == EngineChoice.LLM
            else "the built-in engine (no outside service)"
        )
        processing.append(f"A website chat assistant answering visitors through {engine}")
    if config.measurement:
        processing.append("Uploading conversions to ad platforms for measurement")
    others = []
    if config.engine == EngineChoice.LLM and config.chat:
        others.append(
            f"Language model endpoint {config.llm_host or '(not named)'}, chosen by the "
            "clinic: receives what website visitors type, to answer them"
        )
    retention = (
        *RETENTION,
        ("Anonymous website chats", f"{settings.CHAT_ANONYMOUS_RETENTION_DAYS} days"),
        ("Staff accounts and billing records", "the account's life plus 7 years"),
    )
    return ClinicRecord(
        clinic=clinic,
        config=config,
        categories_of_data=tuple(data),
        processing=tuple(processing),
        recipients=tuple(Recipient(s, config.uses(s)) for s in SUB_PROCESSORS),
        other_recipients=tuple(others),
        retention=retention,
    )


def all_clinic_records() -> list[ClinicRecord]:
    """Every clinic's record, for AES-CRM Ltd's own staff."""
    with unscoped("records of processing: the platform's record covers every clinic"):
        clinics = list(Clinic.objects.order_by("name"))
    return [clinic_record(c) for c in clinics]
