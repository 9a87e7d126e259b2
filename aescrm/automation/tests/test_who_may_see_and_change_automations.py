"""Owners and managers build rules; receptionists read rules, the run log, the dry run and
the health page; clinicians, marketers and auditors get 403 and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.automation import recipes
from aescrm.automation.models import AutomationSettings, Rule
from aescrm.automation.tests.support import builder_form, sms_template
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import SUMMER_DAY, book, member_client

pytestmark = pytest.mark.django_db

EVERYONE = ("owner", "manager", "receptionist", "clinician", "marketer", "auditor")
READERS = {"owner", "manager", "receptionist"}
EDITORS = {"owner", "manager"}


@pytest.fixture
def rule(clinic_a: ClinicWorld) -> Rule:
    with clinic_scope(clinic_a.clinic.pk):
        recipes.install_all()
        return Rule.objects.get(recipe=recipes.REMINDER_48)


PAGES = {
    "rules": ("/automations/", READERS),
    "rule": ("/automations/{rid}/", READERS),
    "dry run": ("/automations/dry-run?patient={pid}", READERS),
    "health": ("/automations/health", READERS),
    "health figures": ("/automations/health/figures", READERS),
    "new rule": ("/automations/new", EDITORS),
    "edit rule": ("/automations/{rid}/edit", EDITORS),
    "links": ("/automations/settings", EDITORS),
}


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_each_role(
    clinic_a: ClinicWorld, rule: Rule, page: str, role: str
) -> None:
    patient = clinic_a.make_patient(first_name="Ada")
    url, allowed = PAGES[page]
    response = member_client(clinic_a, role).get(url.format(rid=rule.pk, pid=patient.pk))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", sorted(set(EVERYONE) - EDITORS))
def test_only_editors_change_rules_and_links(clinic_a: ClinicWorld, rule: Rule, role: str) -> None:
    template = sms_template(clinic_a, "Hello", "Hello.")
    client = member_client(clinic_a, role)
    form = builder_form("Mine", actions=[{"type": "send", "template": str(template.pk)}])
    assert client.post("/automations/new", form).status_code == 403
    assert client.post(f"/automations/{rule.pk}/edit", form).status_code == 403
    assert client.post(f"/automations/{rule.pk}/toggle", {}).status_code == 403
    assert (
        client.post("/automations/settings", {"booking_url": "https://book.example"}).status_code
        == 403
    )
    with clinic_scope(clinic_a.clinic.pk):
        rule.refresh_from_db()
        assert rule.enabled and rule.current_version and rule.current_version.number == 1
        assert Rule.objects.filter(name="Mine").count() == 0
        assert not AutomationSettings.objects.exists()


def test_a_manager_switches_a_rule_off_and_on(clinic_a: ClinicWorld, rule: Rule) -> None:
    manager = member_client(clinic_a, "manager")
    response = manager.post(f"/automations/{rule.pk}/toggle", {}, HTTP_HX_REQUEST="true")
    assert "Switch on" in response.content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        assert not Rule.objects.get(pk=rule.pk).enabled
    manager.post(f"/automations/{rule.pk}/toggle", {"enabled": "on"})
    with clinic_scope(clinic_a.clinic.pk):
        assert Rule.objects.get(pk=rule.pk).enabled


def test_the_review_request_waits_for_an_https_review_link(
    clinic_a: ClinicWorld, rule: Rule
) -> None:
    manager = member_client(clinic_a, "manager")
    with clinic_scope(clinic_a.clinic.pk):
        review = Rule.objects.get(recipe="review_request")
    response = manager.post(f"/automations/{review.pk}/toggle", {"enabled": "on"}, follow=True)
    assert "Set the review link under Automations → Settings" in response.content.decode()

    response = manager.post("/automations/settings", {"review_url": "http://g.page/alpha"})
    assert response.status_code == 422
    assert "The review link must start with https://" in response.content.decode()
    manager.post("/automations/settings", {"review_url": "https://g.page/alpha/review"})
    manager.post(f"/automations/{review.pk}/toggle", {"enabled": "on"})
    with clinic_scope(clinic_a.clinic.pk):
        assert Rule.objects.get(pk=review.pk).enabled
        assert AutomationSettings.objects.get().review_url == "https://g.page/alpha/review"


@pytest.mark.parametrize("role", EVERYONE)
def test_the_patient_page_shows_the_run_log_to_readers_only(
    clinic_a: ClinicWorld, role: str
) -> None:
    patient = clinic_a.make_patient(first_name="Ada")
    book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))  # clinicians see her
    response = member_client(clinic_a, role).get(f"/patients/{patient.pk}/")
    if role == "auditor":
        assert response.status_code == 403
        return
    assert ('id="automations-title"' in response.content.decode()) == (role in READERS)
