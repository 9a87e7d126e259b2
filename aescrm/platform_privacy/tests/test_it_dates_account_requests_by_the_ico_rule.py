"""Account holders' requests fall due by the clinic register's own ICO rule: one calendar month
from receipt, the month's last day where the date does not exist."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.platform_privacy.models import AccountRequest
from aescrm.platform_privacy.tests.support import log, staff_client, staff_user
from aescrm.privacy import deadlines
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 15), dt.date(2026, 1, 15)),
    ],
)
def test_due_one_calendar_month_after_receipt(
    clinic_a: ClinicWorld, received: dt.date, due: dt.date
) -> None:
    request = log(staff_user(), clinic_a.users["manager"], received_on=received)

    assert request.due_on == due == deadlines.due_date(received)
    assert request.deadline == due


def test_logged_from_the_page_it_shows_the_due_date(clinic_a: ClinicWorld) -> None:
    client = staff_client()
    subject = clinic_a.users["marketer"]

    response = client.post(
        "/platform/privacy-requests/new",
        {
            "email": subject.email.upper(),
            "kind": "rectification",
            "received_on": "2025-01-31",
            "channel": "email",
        },
        follow=True,
    )

    request = AccountRequest.objects.get()
    assert (request.subject, request.kind, request.source) == (subject, "rectification", "staff")
    assert request.due_on == dt.date(2025, 2, 28)
    page = response.content.decode()
    assert "It is due by 28 February 2025." in page
    assert "Friday 28 February 2025" in page


def test_unknown_account_and_future_dates_are_refused(clinic_a: ClinicWorld) -> None:
    client = staff_client()
    tomorrow = dt.date.today() + dt.timedelta(days=2)

    unknown = client.post(
        "/platform/privacy-requests/new",
        {
            "email": "nobody@example.com",
            "kind": "access",
            "received_on": "2025-01-31",
            "channel": "email",
        },
    )
    future = client.post(
        "/platform/privacy-requests/new",
        {
            "email": clinic_a.users["owner"].email,
            "kind": "access",
            "received_on": tomorrow.isoformat(),
            "channel": "email",
        },
    )

    assert unknown.status_code == 422
    assert "No account has that email address" in unknown.content.decode()
    assert future.status_code == 422
    assert "Received_on cannot be in the future" in future.content.decode()
    assert not AccountRequest.objects.exists()
