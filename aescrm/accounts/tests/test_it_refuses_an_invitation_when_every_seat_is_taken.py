"""A clinic whose plan's seats are all taken is told so when inviting, before any email goes."""

from __future__ import annotations

import pytest

from aescrm.accounts.models import Invitation, Membership
from aescrm.accounts.permissions import Role
from aescrm.accounts.team import invitation_create
from aescrm.billing.limits import LimitReached
from aescrm.billing.models import Subscription
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def test_an_invitation_past_the_seat_limit_is_refused_naming_the_limit(
    clinic_a: ClinicWorld,
) -> None:
    members = Membership.objects.filter(clinic=clinic_a.clinic).count()
    Subscription.objects.create(clinic=clinic_a.clinic, plan="starter", status="active")
    assert members > 3  # the Starter plan has 3 seats

    with pytest.raises(LimitReached, match="seat") as refused:
        invitation_create(
            caller=clinic_a.caller(Role.OWNER), email="new.nurse@alpha.test", role="clinician"
        )

    assert refused.value.field == "seats"
    assert not Invitation.objects.filter(clinic=clinic_a.clinic).exists()


def test_a_clinic_with_seats_free_can_invite(clinic_a: ClinicWorld) -> None:
    Subscription.objects.create(clinic=clinic_a.clinic, plan="practice", status="active")
    invitation_create(
        caller=clinic_a.caller(Role.OWNER), email="new.nurse@alpha.test", role="clinician"
    )
    assert Invitation.objects.filter(clinic=clinic_a.clinic).count() == 1
