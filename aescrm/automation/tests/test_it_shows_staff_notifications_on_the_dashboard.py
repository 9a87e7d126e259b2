"""A "notify staff" step puts a line on the dashboard of the team (or one role) until
someone marks it read; another clinic cannot mark it."""

from __future__ import annotations

from typing import Any

from aescrm.automation.models import StaffNotification
from aescrm.automation.tests.conftest import london, tick
from aescrm.automation.tests.support import builder_form
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, member_client

TEXT = "A new enquiry about implants: call today"


def test_the_team_sees_the_notification_until_it_is_read(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, clock: Any
) -> None:
    clock.move_to(london(2026, 6, 1, 9))
    rule = builder_form("Tell the team", actions=[{"type": "notify", "text": TEXT, "role": ""}])
    assert member_client(clinic_a, "owner").post("/automations/new", rule).status_code == 302
    ada = clinic_a.make_patient(first_name="Ada", last_name="Lovelace")
    add_enquiry(clinic_a, ada, channel="phone")
    tick(clinic_a, clock, london(2026, 6, 1, 9, 1))

    receptionist = member_client(clinic_a, "receptionist")
    page = receptionist.get("/").content.decode()
    assert TEXT in page and "Ada Lovelace" in page
    assert TEXT not in member_client(clinic_a, "auditor").get("/").content.decode()
    # A clinician sees only notifications about the patients they treat
    assert TEXT not in member_client(clinic_a, "clinician").get("/").content.decode()

    with clinic_scope(clinic_a.clinic.pk):
        notification = StaffNotification.objects.get()
    url = f"/automations/notifications/{notification.pk}/read"
    assert member_client(clinic_b, "owner").post(url).status_code == 404
    assert member_client(clinic_a, "auditor").post(url).status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert StaffNotification.objects.get().read_at is None

    response = receptionist.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert TEXT not in member_client(clinic_a, "manager").get("/").content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        assert StaffNotification.objects.get().read_by_id == clinic_a.users["receptionist"].pk
