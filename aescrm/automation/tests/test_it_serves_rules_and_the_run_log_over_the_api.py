"""GET /api/v1/automations/rules (scope automations:read) and
GET /api/v1/patients/{id}/automation-log (automations:read and patients:read), audited."""

from __future__ import annotations

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.audit.models import AuditEntry
from aescrm.automation import recipes
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ApiClient, ClinicWorld
from aescrm.web.tests.support import add_enquiry

pytestmark = pytest.mark.django_db


def _key(world: ClinicWorld, *scopes: str) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="limited", scopes=list(scopes))
    return ApiClient(secret)


def test_rules_list_names_each_trigger_and_version(clinic_a: ClinicWorld) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        recipes.install_all()
    rules = _key(clinic_a, "automations:read").get("/api/v1/automations/rules").json()
    by_name = {r["name"]: r for r in rules}
    reminder = by_name["Reminder 2 days before"]
    assert (reminder["trigger_label"], reminder["version"], reminder["enabled"]) == (
        "48 hours before the appointment",
        1,
        True,
    )
    assert by_name["Review request 3 days after a visit"]["enabled"] is False
    assert _key(clinic_a, "messages:read").get("/api/v1/automations/rules").status_code == 403


def test_the_log_needs_both_scopes_and_is_audited(clinic_a: ClinicWorld) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        recipes.install_all()
    ada = clinic_a.make_patient(first_name="Ada", phone="07700 900701")
    add_enquiry(clinic_a, ada, channel="web_form")
    url = f"/api/v1/patients/{ada.pk}/automation-log"
    assert _key(clinic_a, "automations:read").get(url).status_code == 403
    assert _key(clinic_a, "patients:read").get(url).status_code == 403
    response = _key(clinic_a, "automations:read", "patients:read").get(url)
    assert response.status_code == 200
    outcomes = {(e["rule_name"], e["outcome"]) for e in response.json()}
    assert ("Instant reply to website enquiries", "fired") in outcomes
    assert ("Nurture leads who have not booked", "not_fired") in outcomes
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(
            action="patient.automation_log.read", object_id=str(ada.pk)
        ).exists()
    assert (
        _key(clinic_a, "automations:read", "patients:read")
        .get("/api/v1/patients/not-an-id/automation-log")
        .status_code
        == 404
    )
