"""Clinic B's members and API keys get 404 for clinic A's rules, run log and dry run, change
nothing, and cannot build a rule that sends one of clinic A's templates."""

from __future__ import annotations

import pytest

from aescrm.automation import recipes
from aescrm.automation.models import Rule, RunLog
from aescrm.automation.tests.support import builder_form, sms_template
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_rule(clinic_a: ClinicWorld) -> Rule:
    with clinic_scope(clinic_a.clinic.pk):
        recipes.install_all()
        return Rule.objects.get(recipe="nurture")


def test_clinic_b_gets_404_for_clinic_a_pages(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, a_rule: Rule
) -> None:
    ada = clinic_a.make_patient(first_name="Ada", phone="07700 900601")
    add_enquiry(clinic_a, ada, channel="phone")  # the nurture logs why it did not fire
    owner_b = member_client(clinic_b, "owner")
    for url in (
        f"/automations/{a_rule.pk}/",
        f"/automations/{a_rule.pk}/edit",
        f"/automations/dry-run?patient={ada.pk}",
        f"/automations/dry-run?patient={ada.pk}&rule={a_rule.pk}",
        f"/patients/{ada.pk}/",
    ):
        assert owner_b.get(url).status_code == 404, url
    assert owner_b.post(f"/automations/{a_rule.pk}/toggle", {}).status_code == 404
    template_a = sms_template(clinic_a, "Alpha wording", "Hello from Alpha.")
    form = builder_form("Stolen", actions=[{"type": "send", "template": str(template_a.pk)}])
    assert owner_b.post(f"/automations/{a_rule.pk}/edit", form).status_code == 404
    assert "Nurture leads" not in owner_b.get("/automations/").content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        a_rule.refresh_from_db()
        assert a_rule.enabled and a_rule.current_version and a_rule.current_version.number == 1
        assert a_rule.versions.count() == 1


def test_clinic_b_cannot_send_clinic_a_templates(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    template_a = sms_template(clinic_a, "Alpha wording", "Hello from Alpha.")
    form = builder_form(
        "Borrowed",
        actions=[
            {"type": "wait", "wait_amount": "1", "wait_unit": "hours"},
            {"type": "send", "template": str(template_a.pk)},
        ],
    )
    response = member_client(clinic_b, "owner").post("/automations/new", form)
    assert response.status_code == 422
    assert (
        "Step 2 (send a template) names a template this clinic does not have"
        in response.content.decode()
    )
    with clinic_scope(clinic_b.clinic.pk):
        assert not Rule.objects.exists()


def test_clinic_b_api_key_gets_404_for_clinic_a_log(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, a_rule: Rule
) -> None:
    ada = clinic_a.make_patient(first_name="Ada", phone="07700 900602")
    add_enquiry(clinic_a, ada, channel="phone")
    response = clinic_b.api().get(f"/api/v1/patients/{ada.pk}/automation-log")
    assert response.status_code == 404
    assert clinic_b.api().get("/api/v1/automations/rules").json() == []
    # Clinic A's own key sees it
    entries = clinic_a.api().get(f"/api/v1/patients/{ada.pk}/automation-log").json()
    assert sorted((e["rule_name"], e["outcome"], e["detail"]) for e in entries) == [
        (
            "Instant reply to website enquiries",
            "not_fired",
            "the enquiry came by is 'phone', the rule wants 'web_form', 'chat'",
        ),
        ("Nurture leads who have not booked", "not_fired", "no marketing consent by SMS"),
    ]
    with clinic_scope(clinic_a.clinic.pk):
        assert RunLog.objects.count() == 2
