"""Seats are the clinic's members now: adding one past the plan's limit is refused with a
message naming it; changing a member's role, or a clinic not billed, is not limited."""

from __future__ import annotations

import pytest

from aescrm.accounts.models import Membership, User
from aescrm.accounts.services import membership_set
from aescrm.billing.limits import LimitReached, seat_available
from aescrm.billing.tests.usage_support import subscribe
from aescrm.testing.fixtures import PASSWORD, ClinicWorld


def _new_user(n: int) -> User:
    return User.objects.create_user(f"new-{n}@alpha.test", PASSWORD)


def test_a_member_past_the_seat_limit_is_refused_with_the_reason(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a)  # growth: 10 seats; the clinic has 6 members
    for n in range(4):
        membership_set(clinic=clinic_a.clinic, user=_new_user(n), role="receptionist")
    assert not seat_available(clinic_a.clinic).allowed
    with pytest.raises(LimitReached) as refused:
        membership_set(clinic=clinic_a.clinic, user=_new_user(9), role="receptionist")
    assert refused.value.detail == (
        "Your plan's limit of 10 seats is reached: remove a team member or upgrade your plan "
        "to add another."
    )
    assert refused.value.status == 402
    assert Membership.objects.filter(clinic=clinic_a.clinic).count() == 10


def test_changing_a_members_role_needs_no_seat(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a, plan="starter")  # 3 seats, 6 members already (set up by hand)
    user = clinic_a.users["receptionist"]
    membership = membership_set(clinic=clinic_a.clinic, user=user, role="manager")
    assert membership.role == "manager"


def test_a_clinic_not_billed_has_no_seat_limit(clinic_a: ClinicWorld) -> None:
    assert seat_available(clinic_a.clinic).allowed
    for n in range(30):
        membership_set(clinic=clinic_a.clinic, user=_new_user(n), role="clinician")
    assert Membership.objects.filter(clinic=clinic_a.clinic).count() == 36
