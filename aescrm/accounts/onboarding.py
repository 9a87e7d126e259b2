"""A new clinic's onboarding checklist, worked out from its data each time (docs/decisions/0030).

Nothing is ticked by hand: each item is a question about what the clinic has
set up, so an item comes undone again if, say, the last treatment is retired.
"""

from __future__ import annotations

from dataclasses import dataclass

from aescrm.accounts.models import Clinic, Invitation, Membership
from aescrm.core.tenancy import clinic_scope


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    hint: str
    url_name: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total


def _staff_invited(clinic: Clinic) -> bool:
    """Someone else has joined, or an invitation has been sent (accepted or not)."""
    return (
        Membership.objects.filter(clinic=clinic).count() > 1
        or Invitation.objects.filter(clinic=clinic).exists()
    )


def _reminders_set_up() -> bool:
    """An appointment reminder is on and someone at the clinic has saved it.

    New clinics get the reminder recipes switched on (docs/decisions/0019), so
    "on" alone would be done before the clinic looked; a version with an
    author means the clinic opened the rule and made it its own.
    """
    from aescrm.automation.models import Rule

    return Rule.objects.filter(
        enabled=True,
        trigger_event="appointment_time",
        current_version__created_by__isnull=False,
    ).exists()


def checklist(clinic: Clinic) -> Checklist:
    from aescrm.mail.models import MailSettings
    from aescrm.messaging.models import MessagingSettings
    from aescrm.patients.models import Practitioner, Treatment

    with clinic_scope(clinic.pk):
        items = [
            ChecklistItem(
                "treatments",
                "Add your treatments",
                "The treatments you offer, with their length and price.",
                "web:treatments",
                Treatment.objects.filter(active=True).exists(),
            ),
            ChecklistItem(
                "practitioners",
                "Add your practitioners",
                "Everyone patients can be booked with, then their working hours on "
                "Settings → Availability.",
                "web:practitioners",
                Practitioner.objects.filter(active=True).exists(),
            ),
            ChecklistItem(
                "sms",
                "Connect an SMS number",
                "Your Twilio account and the number texts come from.",
                "web:messaging_settings",
                MessagingSettings.objects.exclude(sending_number="").exists(),
            ),
            ChecklistItem(
                "email",
                "Connect an email sender",
                "Your Postmark server and sender address, checked with Postmark.",
                "mail:settings",
                MailSettings.objects.exclude(sender_email="").filter(check_ok=True).exists(),
            ),
            ChecklistItem(
                "widget",
                "Put the widget on your website",
                "Paste the snippet into your website. This is ticked when the widget first "
                "loads on one of your website addresses.",
                "web:website_settings",
                clinic.widget_first_seen_at is not None,
            ),
            ChecklistItem(
                "staff",
                "Invite your staff",
                "Give your team their own sign-in, each with the role they need.",
                "team:list",
                _staff_invited(clinic),
            ),
            ChecklistItem(
                "reminders",
                "Set up appointment reminders",
                "Open a reminder, make its timing and wording your own, and save it.",
                "automations:list",
                _reminders_set_up(),
            ),
        ]
    return Checklist(items)
