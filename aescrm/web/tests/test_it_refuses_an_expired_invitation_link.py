"""After seven days a link has expired: the page says so and whom to ask."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aescrm.accounts.models import Invitation, User
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def test_a_link_works_for_seven_days(clinic_a: Any) -> None:
    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "late@example.com", "clinician")

    lifetime = invitation.expires_at - invitation.created_at
    assert lifetime == dt.timedelta(days=7)


def test_an_expired_link_names_the_clinic_and_whom_to_ask(clinic_a: Any) -> None:
    inviter = clinic_a.users["manager"]
    inviter.full_name = "Jo Manager"
    inviter.save()
    with account_mail() as postmark:
        invitation, path = invite(postmark, clinic_a, "late@example.com", "clinician", by="manager")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    visitor = Client()
    page = visitor.get(path)
    posted = visitor.post(path, {"full_name": "Late Person", "password": NEW_PASSWORD})

    assert page.status_code == 410 and posted.status_code == 410
    body = text(page)
    assert "This invitation has expired" in body
    assert (
        "Ask Jo Manager or another owner or practice manager at Alpha Dental to send you a new "
        "invitation." in body
    )
    assert not User.objects.filter(email="late@example.com").exists()


def test_the_team_page_marks_it_expired_and_a_new_invitation_replaces_it(clinic_a: Any) -> None:
    from aescrm.web.tests.support import member_client

    with account_mail() as postmark:
        invitation, _ = invite(postmark, clinic_a, "late@example.com", "clinician")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        owner = member_client(clinic_a, "owner")
        assert "<strong>Expired</strong>" in text(owner.get("/settings/team"))

        response = owner.post("/settings/team", {"email": "late@example.com", "role": "clinician"})

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.filter(email="late@example.com", revoked_at__isnull=True).count() == 1
