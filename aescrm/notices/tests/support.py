"""Helpers for the notices tests: a clinic's channels and ad platforms switched on."""

from __future__ import annotations

from typing import Any

from aescrm.assistant.models import AssistantSettings
from aescrm.conversions.models import AdPlatformSettings
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import MessagingSettings
from aescrm.testing.fixtures import ClinicWorld


def with_sms(world: ClinicWorld, number: str = "+447700900111", **extra: Any) -> None:
    with clinic_scope(world.clinic.pk):
        MessagingSettings.objects.create(
            twilio_account_sid="AC" + "0" * 32, sending_number=number, **extra
        )


def with_ads(world: ClinicWorld, **flags: bool) -> None:
    with clinic_scope(world.clinic.pk):
        AdPlatformSettings.objects.create(**flags)


def with_assistant(world: ClinicWorld, **fields: Any) -> None:
    with clinic_scope(world.clinic.pk):
        AssistantSettings.objects.update_or_create(defaults=fields)
