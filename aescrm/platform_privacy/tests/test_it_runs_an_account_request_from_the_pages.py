"""Staff run an account holder's request from its page: identity check, extension within two
further months (the clinic register's rule), notes, completion. Each step is audited on the
platform chain, naming fields, never what was written."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import unscoped
from aescrm.platform_privacy import account_requests
from aescrm.platform_privacy.models import AccountRequest
from aescrm.platform_privacy.tests.support import log, platform_actions, staff_client, staff_user
from aescrm.privacy import deadlines
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def test_identity_extension_note_and_completion(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    client = staff_client(staff)
    today = account_requests.platform_today()
    received = today - dt.timedelta(days=3)
    request = log(staff, clinic_a.users["manager"], kind="portability", received_on=received)
    base = f"/platform/privacy-requests/{request.pk}"

    early = client.post(f"{base}/complete", {"outcome": "Sent the file"})
    no_method = client.post(f"{base}/identity", {"result": "verified"})
    verified = client.post(f"{base}/identity", {"result": "verified", "method": "account_email"})
    extended = client.post(
        f"{base}/extend",
        {"months": "2", "reason": "Several clinics' records", "person_told_on": today.isoformat()},
    )
    noted = client.post(f"{base}/note", {"body": "Asked which clinics"})
    done = client.post(f"{base}/complete", {"outcome": "Sent the JSON file"})

    assert early.status_code == 422
    assert "Verify the account holder&#x27;s identity before completing" in early.content.decode()
    assert no_method.status_code == 422
    assert [r.status_code for r in (verified, extended, noted, done)] == [302] * 4
    row = AccountRequest.objects.get()
    assert (row.status, row.identity_status, row.identity_method) == (
        "completed",
        "verified",
        "account_email",
    )
    assert row.verified_by == staff and row.completed_by == staff
    assert row.extended_until == deadlines.extended_due_date(received, 2)
    assert row.deadline == row.extended_until
    assert "Asked which clinics" in row.notes and staff.email in row.notes
    assert row.outcome == "Sent the JSON file"
    assert platform_actions(row) == [
        ("account.request.create", None),
        ("account.request.identity", None),
        ("account.request.extend", None),
        ("account.request.note", None),
        ("account.request.complete", None),
    ]
    with unscoped("test reads the audit log"):
        details = str(
            list(
                AuditEntry.all_chains.filter(object_type="account_request").values_list(
                    "detail", flat=True
                )
            )
        )
    assert "Several clinics" not in details and "Sent the JSON" not in details
    page = client.get(f"{base}/").content.decode()
    assert "Sent the JSON file" in page and "Completed" in page


def test_the_page_read_is_audited_on_the_platform_chain(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    request = log(staff, clinic_a.users["owner"])

    assert staff_client(staff).get(f"/platform/privacy-requests/{request.pk}/").status_code == 200

    assert ("account.request.read", None) in platform_actions(request)


def test_extensions_stop_at_two_further_months(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    today = account_requests.platform_today()
    request = log(staff, clinic_a.users["owner"], received_on=today - dt.timedelta(days=5))

    def extend(months: object, told: dt.date | None = today) -> AccountRequest:
        return account_requests.account_request_extend(
            staff=staff, request=request, months=months, reason="Complex", person_told_on=told
        )

    extend(1)
    with pytest.raises(Conflict) as same:
        extend(1)
    extend(2)
    with pytest.raises(ValidationFailed) as third:
        extend(3)
    with pytest.raises(ValidationFailed) as untold:
        extend(2, None)

    assert same.value.field == "months" and "already extended by 1 month" in same.value.detail
    assert third.value.field == "months" and "at most two further months" in third.value.detail
    assert untold.value.field == "person_told_on"
    row = AccountRequest.objects.get()
    assert row.extension_months == 2
    assert row.extended_until == deadlines.extended_due_date(row.received_on, 2)


def test_the_person_must_be_told_within_the_first_month(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    client = staff_client(staff)
    today = account_requests.platform_today()
    request = log(staff, clinic_a.users["owner"], received_on=today - dt.timedelta(days=45))

    late = client.post(
        f"/platform/privacy-requests/{request.pk}/extend",
        {"months": "1", "reason": "Complex", "person_told_on": today.isoformat()},
    )

    assert late.status_code == 422
    assert "within one month of receipt" in late.content.decode()
    row = AccountRequest.objects.get()
    assert (row.extension_months, row.extended_until) == (0, None)
    assert platform_actions(row) == [("account.request.create", None)]


def test_a_completed_request_takes_no_more_steps(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    request = log(staff, clinic_a.users["owner"])
    account_requests.account_request_identity(
        staff=staff, request=request, result="verified", method="signed_in"
    )
    account_requests.account_request_complete(staff=staff, request=request, outcome="Done")

    with pytest.raises(Conflict):
        account_requests.account_request_extend(
            staff=staff,
            request=request,
            months=1,
            reason="x",
            person_told_on=account_requests.platform_today(),
        )
    assert AccountRequest.objects.get().extension_months == 0


def test_a_request_is_refused_with_a_reason_or_withdrawn(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    client = staff_client(staff)
    refused = log(staff, clinic_a.users["manager"], kind="erasure")
    withdrawn = log(staff, clinic_a.users["owner"], kind="access")

    no_reason = client.post(f"/platform/privacy-requests/{refused.pk}/refuse", {"reason": ""})
    said_why = client.post(
        f"/platform/privacy-requests/{refused.pk}/refuse",
        {"reason": "Manifestly excessive: the fourth identical request this month"},
    )
    gone = client.post(
        f"/platform/privacy-requests/{withdrawn.pk}/withdraw", {"note": "Emailed to cancel"}
    )
    again = client.post(f"/platform/privacy-requests/{refused.pk}/withdraw", {"note": ""})

    assert no_reason.status_code == 422
    assert said_why.status_code == 302 and gone.status_code == 302
    assert again.status_code == 422  # a closed request takes no more steps
    first, second = (
        AccountRequest.objects.get(pk=refused.pk),
        AccountRequest.objects.get(pk=withdrawn.pk),
    )
    assert (first.status, first.outcome) == (
        "refused",
        "Manifestly excessive: the fourth identical request this month",
    )
    assert second.status == "withdrawn" and "Withdrawn: Emailed to cancel" in second.notes
    assert ("account.request.refuse", None) in platform_actions(first)
    assert ("account.request.withdraw", None) in platform_actions(second)
