"""AES-CRM staff see a clinic's patients only through a grant its owner approved: read-only,
until it expires or the owner ends it, every page audited and listed to the owner. Another
clinic's owner gets 404 for the grant and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aescrm.accounts.models import User
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.platform_privacy.models import GrantStatus, SupportGrant
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text, verified_client

pytestmark = pytest.mark.django_db


def _staff() -> Client:
    user = User.objects.create_user(
        "support@aescrm.example", "a-long-staff-password-1", is_staff=True
    )
    return verified_client(user)


def _request(staff: Client, world: ClinicWorld, hours: str = "4") -> SupportGrant:
    response = staff.post(
        "/platform/support",
        {"clinic": world.clinic.public_key, "reason": "Reminder texts not sending", "hours": hours},
    )
    assert response.status_code == 302, response.content
    with clinic_scope(world.clinic.pk):
        return SupportGrant.objects.get()


def test_staff_see_patients_only_while_the_owner_allows(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Ann", last_name="Example")
    staff = _staff()
    owner = member_client(clinic_a, "owner")
    grant = _request(staff, clinic_a)

    # Pending: no way in.
    assert staff.post(f"/platform/support/{grant.pk}/open").status_code == 404
    assert staff.get(f"/patients/{patient.pk}/").status_code == 403
    listing = text(owner.get("/settings/support-access"))
    assert "Reminder texts not sending" in listing and "Waiting for the owner" in listing

    assert owner.post(f"/settings/support-access/{grant.pk}/approve").status_code == 302
    opened = staff.post(f"/platform/support/{grant.pk}/open")
    record = staff.get(f"/patients/{patient.pk}/")
    write = staff.post(f"/patients/{patient.pk}/notes", {"body": "hello"})
    audit_page = staff.get("/audit/")

    assert opened.status_code == 302
    assert record.status_code == 200 and "Ann" in text(record)
    assert "Support access to Alpha Dental, read-only" in text(record)
    assert write.status_code == 403
    assert audit_page.status_code == 403
    shown = text(owner.get("/settings/support-access"))
    assert f"/patients/{patient.pk}/" in shown
    with clinic_scope(clinic_a.clinic.pk):
        views = list(
            AuditEntry.objects.filter(action="support.view").values_list("actor_label", flat=True)
        )
        assert set(views) == {"support@aescrm.example"}
        assert AuditEntry.objects.filter(
            action="patient.read", object_id=str(patient.pk), actor_label="support@aescrm.example"
        ).exists()

    # The owner ends it: the next page is refused.
    assert owner.post(f"/settings/support-access/{grant.pk}/revoke").status_code == 302
    assert staff.get(f"/patients/{patient.pk}/").status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert SupportGrant.objects.get().status == GrantStatus.REVOKED


def test_a_grant_ends_by_itself_when_its_hours_are_up(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient()
    staff = _staff()
    grant = _request(staff, clinic_a, hours="72")
    member_client(clinic_a, "owner").post(f"/settings/support-access/{grant.pk}/approve")
    staff.post(f"/platform/support/{grant.pk}/open")
    assert staff.get(f"/patients/{patient.pk}/").status_code == 200

    with clinic_scope(clinic_a.clinic.pk):
        SupportGrant.objects.filter(pk=grant.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )

    assert staff.get(f"/patients/{patient.pk}/").status_code == 403


def test_denied_requests_and_bad_requests(clinic_a: ClinicWorld) -> None:
    staff = _staff()
    too_long = staff.post(
        "/platform/support",
        {"clinic": clinic_a.clinic.public_key, "reason": "x", "hours": "73"},
    )
    no_reason = staff.post(
        "/platform/support", {"clinic": clinic_a.clinic.public_key, "reason": " ", "hours": "2"}
    )
    grant = _request(staff, clinic_a)
    owner = member_client(clinic_a, "owner")
    owner.post(f"/settings/support-access/{grant.pk}/deny")
    again = owner.post(f"/settings/support-access/{grant.pk}/approve", follow=True)

    assert too_long.status_code == 422 and "Access lasts from 1 to 72 hours." in text(too_long)
    assert no_reason.status_code == 422 and "Say why you need access." in text(no_reason)
    assert "This request is already denied." in text(again)
    assert staff.post(f"/platform/support/{grant.pk}/open").status_code == 404
    with clinic_scope(clinic_a.clinic.pk):
        assert SupportGrant.objects.get().status == GrantStatus.DENIED


def test_only_staff_ask_and_only_owners_decide(clinic_a: ClinicWorld) -> None:
    grant = _request(_staff(), clinic_a)
    member = member_client(clinic_a, "manager")

    assert member.get("/platform/support").status_code == 404
    assert member.get("/settings/support-access").status_code == 403
    assert member.post(f"/settings/support-access/{grant.pk}/approve").status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert SupportGrant.objects.get().status == GrantStatus.PENDING


def test_another_clinics_owner_gets_404_and_changes_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    grant = _request(_staff(), clinic_a)
    outsider = member_client(clinic_b, "owner")

    responses = [
        outsider.post(f"/settings/support-access/{grant.pk}/{action}")
        for action in ("approve", "deny", "revoke")
    ]
    listing = text(outsider.get("/settings/support-access"))

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert "Reminder texts not sending" not in listing
    with clinic_scope(clinic_a.clinic.pk):
        assert SupportGrant.objects.get().status == GrantStatus.PENDING
    with clinic_scope(clinic_b.clinic.pk):
        assert not AuditEntry.objects.filter(object_id=str(grant.pk)).exists()
