"""Why a patient cannot be messaged on a channel, in words the front desk can act on.

``aescrm.messaging.policy.refusal`` decides; this module only explains. A
missing marketing consent is told apart from an opt-out (a STOP reply, or
consent withdrawn on a given day) by the patient's consent history.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from aescrm.messaging import policy
from aescrm.patients.models import ConsentEvent, Patient

CHANNEL_WORDS = policy.CHANNEL_WORDS

# Headings for groups of excluded patients; a code not listed here is shown by its detail.
LABELS = {
    "opted_out": "Opted out",
    "no_consent": "No marketing consent",
    "restricted": "Record restricted",
    "no_phone": "No mobile number",
    "no_email": "No email address",
    "suppressed": "Address suppressed",
    "erased": "Asked to be erased",
    "channel_unsupported": "Channel not available",
    "wording": "Wording refused",
    "stopped": "Send stopped",
}


@dataclass(frozen=True)
class Blocked:
    """The policy's code (``opted_out`` when a no_consent is an opt-out) and an explanation."""

    reason: str
    text: str

    @property
    def label(self) -> str:
        return LABELS.get(self.reason, self.reason.replace("_", " ").capitalize())


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class Explainer:
    """Explains refusals for many patients with one query for their consent history."""

    def __init__(
        self, tz: zoneinfo.ZoneInfo, channel: str, patient_ids: Iterable[object] = ()
    ) -> None:
        self.tz = tz
        self.channel = channel
        self._last: dict[object, ConsentEvent] = {}
        ids = list(patient_ids)
        if ids:
            self._load(ids)

    def _load(self, ids: list[object]) -> None:
        events = ConsentEvent.objects.filter(channel=self.channel, patient_id__in=ids).order_by(
            "recorded_at"
        )
        for event in events:
            self._last[event.patient_id] = event  # the latest wins

    def _last_event(self, patient: Patient) -> ConsentEvent | None:
        if patient.pk not in self._last:
            event = (
                ConsentEvent.objects.filter(channel=self.channel, patient=patient)
                .order_by("-recorded_at")
                .first()
            )
            if event is None:
                return None
            self._last[patient.pk] = event
        return self._last[patient.pk]

    def blocked(self, patient: Patient, *, kind: str) -> Blocked | None:
        problem = policy.refusal(patient, channel=self.channel, kind=kind)
        if problem is None:
            return None
        if problem.reason not in ("no_consent", "opted_out"):
            return Blocked(problem.reason, _sentence(problem.detail))
        opted = policy.opt_out_refusal(self._last_event(patient), self.channel, self.tz)
        if opted is not None:
            return Blocked(opted.reason, _sentence(opted.detail))
        words = CHANNEL_WORDS.get(self.channel, self.channel)
        return Blocked("no_consent", f"No consent to marketing by {words} recorded")


def blocked(patient: Patient, *, channel: str, kind: str, tz: zoneinfo.ZoneInfo) -> Blocked | None:
    """Why ``patient`` may not be sent a ``kind`` message by ``channel``, or None."""
    return Explainer(tz, channel).blocked(patient, kind=kind)
