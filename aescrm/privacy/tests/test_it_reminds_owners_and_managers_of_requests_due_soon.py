"""The daily task puts a line on owners' and managers' dashboards for each open request due
within a week (or overdue), once a day, and audits it; others are left alone."""

from __future__ import annotations

import pytest

from aescrm.automation.models import StaffNotification
from aescrm.core.tenancy import clinic_scope
from aescrm.privacy import services
from aescrm.privacy.tasks import remind_privacy_deadlines
from aescrm.privacy.tests.support import audit_actions, fresh, log_request, set_deadline, today
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_reminds_once_a_day_for_requests_due_within_a_week(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(first_name="Remy")
    soon = log_request(clinic_a, patient, kind="erasure")
    overdue = log_request(clinic_a, clinic_a.make_patient(), kind="access")
    later = log_request(clinic_a, clinic_a.make_patient())
    closed = log_request(clinic_a, clinic_a.make_patient())
    set_deadline(clinic_a, soon, 5)
    set_deadline(clinic_a, overdue, -1)
    set_deadline(clinic_a, later, 8)
    set_deadline(clinic_a, closed, 1)
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_withdraw(caller=clinic_a.caller(), request=closed)

    assert remind_privacy_deadlines.call_local() == 2
    assert remind_privacy_deadlines.call_local() == 0  # again the same day: nothing new

    with clinic_scope(clinic_a.clinic.pk):
        lines = list(StaffNotification.objects.order_by("text", "role"))
    assert sorted(n.role for n in lines) == ["manager", "manager", "owner", "owner"]
    assert {n.text for n in lines} == {
        "Privacy request (access (subject access request)): overdue by 1 day"
        f" – deadline {fresh(clinic_a, overdue).deadline:%a} "
        f"{fresh(clinic_a, overdue).deadline.day} {fresh(clinic_a, overdue).deadline:%b %Y}.",
        "Privacy request (erasure): due in 5 days"
        f" – deadline {fresh(clinic_a, soon).deadline:%a} "
        f"{fresh(clinic_a, soon).deadline.day} {fresh(clinic_a, soon).deadline:%b %Y}.",
    }
    assert fresh(clinic_a, soon).last_reminded_on == today(clinic_a)
    assert audit_actions(clinic_a, soon)[-1] == "privacy.request.remind"
    assert "privacy.request.remind" not in audit_actions(clinic_a, later)
    with clinic_scope(clinic_b.clinic.pk):
        assert StaffNotification.objects.count() == 0

    manager = text(member_client(clinic_a, "manager").get("/"))
    assert "Privacy request (erasure): due in 5 days" in manager and "Remy Patient" in manager
    receptionist = text(member_client(clinic_a, "receptionist").get("/"))
    assert "Privacy request" not in receptionist
