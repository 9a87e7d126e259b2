"""Remove a member: at once their open sessions in the clinic end and the API keys they made
for it stop working. Their other clinics are untouched."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import ApiKey, Membership
from aescrm.accounts.services import membership_set
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ApiClient
from aescrm.web.tests.support import member_client, text, verified_client

pytestmark = pytest.mark.django_db


def _make_key(client: Any, name: str) -> str:
    page = text(client.post("/settings/api-keys", {"name": name, "scopes": ["patients:read"]}))
    return page.split('id="new-key" type="text" readonly value="')[1].split('"')[0]


def test_removal_signs_them_out_and_kills_their_keys(clinic_a: Any) -> None:
    manager = clinic_a.users["manager"]
    their_browser = member_client(clinic_a, "manager")
    secret = _make_key(their_browser, "Their booking tool")
    their_tool = ApiClient(secret)
    assert their_browser.get("/patients/").status_code == 200
    assert their_tool.get("/api/v1/patients").status_code == 200
    owner = member_client(clinic_a, "owner")

    confirm = owner.get(f"/settings/team/members/{manager.pk}/remove")
    assert "1 API key they made for this clinic stops working" in text(confirm)
    removed = owner.post(f"/settings/team/members/{manager.pk}/remove", follow=True)

    assert "manager@alpha.test is no longer a member of Alpha Dental." in text(removed)
    assert "1 API key they made revoked." in text(removed)
    assert not Membership.objects.filter(user=manager, clinic=clinic_a.clinic).exists()
    # The very next request with the same cookie: signed out.
    after = their_browser.get("/patients/")
    assert after.status_code == 302 and after["Location"].startswith("/sign-in")
    denied = their_tool.get("/api/v1/patients")
    assert denied.status_code == 401
    # Keys other members made go on working.
    assert clinic_a.api().get("/api/v1/patients").status_code == 200
    assert ApiKey.objects.get(name="Their booking tool").revoked_at is not None
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.get(action="membership.delete")
        revoked = AuditEntry.objects.get(action="api_key.revoke")
    assert entry.object_id == str(manager.pk)
    assert entry.detail == {"role": "manager", "api_keys_revoked": 1, "sessions_ended": 1}
    assert revoked.object_id == str(ApiKey.objects.get(name="Their booking tool").pk)


def test_their_other_clinic_goes_on_working(clinic_a: Any, clinic_b: Any) -> None:
    """A receptionist at Bravo who also works at Alpha is removed from Alpha only."""
    person = clinic_b.users["receptionist"]
    membership_set(clinic=clinic_a.clinic, user=person, role="receptionist")
    in_alpha = verified_client(person)
    in_alpha.post("/switch-clinic", {"clinic": str(clinic_a.clinic.pk)})
    in_bravo = verified_client(person)
    in_bravo.post("/switch-clinic", {"clinic": str(clinic_b.clinic.pk)})
    assert "Alpha Dental" in text(in_alpha.get("/patients/"))

    member_client(clinic_a, "owner").post(f"/settings/team/members/{person.pk}/remove")

    assert in_alpha.get("/patients/")["Location"].startswith("/sign-in")
    still = in_bravo.get("/patients/")
    assert still.status_code == 200 and "Bravo Aesthetics" in text(still)
    assert in_bravo.post("/switch-clinic", {"clinic": str(clinic_a.clinic.pk)}).status_code == 404
    assert Membership.objects.get(user=person, clinic=clinic_b.clinic).role == "receptionist"


def test_a_session_that_outlives_its_membership_gets_no_access(clinic_a: Any) -> None:
    """Even a session not ended (say, a membership deleted some other way) is refused: every
    request checks the membership afresh."""
    clinician = clinic_a.users["clinician"]
    browser = member_client(clinic_a, "clinician")
    assert browser.get("/calendar/").status_code == 200

    Membership.objects.filter(user=clinician, clinic=clinic_a.clinic).delete()

    response = browser.get("/calendar/")
    assert response.status_code == 403
    assert "Your account is not a member of any clinic." in text(response)
