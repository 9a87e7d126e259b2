"""An invitation link works once: afterwards it says it has been used, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import Membership, User
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def test_a_used_link_says_so_and_makes_no_second_account(clinic_a: Any) -> None:
    with account_mail() as postmark:
        _, path = invite(postmark, clinic_a, "once@example.com", "receptionist")
    Client().post(path, {"full_name": "First Person", "password": NEW_PASSWORD})

    second = Client()
    page = second.get(path)
    posted = second.post(path, {"full_name": "Second Person", "password": NEW_PASSWORD})

    assert page.status_code == 410 and posted.status_code == 410
    assert "This invitation has already been used" in text(page)
    assert "used to join Alpha Dental" in text(page)
    assert list(
        User.objects.filter(email="once@example.com").values_list("full_name", flat=True)
    ) == ["First Person"]
    assert Membership.objects.filter(user__email="once@example.com").count() == 1
