"""A clinic fresh from sign-up, and the steps that tick its onboarding checklist."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import override_settings

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, User
from aescrm.accounts.services import clinic_create, membership_set
from aescrm.automation import services as automation
from aescrm.automation.models import Rule
from aescrm.automation.recipes import RECIPES, REMINDER_48, install
from aescrm.core.tenancy import clinic_scope
from aescrm.mail import services as mail
from aescrm.messaging import services as messaging
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import PASSWORD


@dataclass
class FreshClinic:
    clinic: Clinic
    owner: User

    def caller(self) -> Caller:
        return Caller(clinic_id=self.clinic.pk, user_id=self.owner.pk, role="owner")


def fresh_clinic(slug: str = "fresh", domains: list[str] | None = None) -> FreshClinic:
    clinic = clinic_create(name="Fresh Smiles", slug=slug, domains=domains or [])
    owner = User.objects.create_user(f"owner@{slug}.test", PASSWORD)
    membership_set(clinic=clinic, user=owner, role="owner")
    return FreshClinic(clinic, owner)


def connect_sms(clinic: Clinic, caller: Caller) -> None:
    with clinic_scope(clinic.pk):
        messaging.settings_set(
            caller=caller,
            account_sid=fake_twilio.ACCOUNT_SID,
            auth_token=fake_twilio.AUTH_TOKEN,
            sending_number=fake_twilio.NUMBER,
        )


def save_email_sender(clinic: Clinic, caller: Caller) -> None:
    with clinic_scope(clinic.pk):
        mail.settings_set(
            caller=caller,
            data=mail.MailSettingsInput(server_token="server-1", sender_email="hi@clinic.test"),
        )


def check_email_sender(clinic: Clinic, caller: Caller) -> None:
    """Postmark (a fake one, over HTTP) accepts the saved server token."""
    postmark = FakePostmark(server_token="server-1")
    postmark.start()
    try:
        with override_settings(POSTMARK_API_BASE=postmark.api_base), clinic_scope(clinic.pk):
            assert mail.connection_check(caller=caller).ok
    finally:
        postmark.stop()


def make_reminder_own(clinic: Clinic, caller: Caller) -> Rule:
    """The clinic opens the 2-days-before reminder and changes it to the day before."""
    with clinic_scope(clinic.pk):
        install(next(r for r in RECIPES if r.slug == REMINDER_48))
        rule = Rule.objects.select_related("current_version").get(recipe=REMINDER_48)
        version = rule.current_version
        assert version is not None
        automation.rule_update(
            caller=caller,
            rule=rule,
            data=automation.RuleInput(
                name=rule.name,
                trigger={**version.trigger, "offset_minutes": -24 * 60},
                conditions=version.conditions,
                actions=version.actions,
                stop_when=version.stop_when,
            ),
        )
    return rule
