"""The List-Unsubscribe link (RFC 8058): a POST unsubscribes without signing in; a GET
only shows a page with a button (link scanners follow GET links)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.unsubscribe import make_token, unsubscribe_url
from aescrm.patients.models import ConsentEvent, Patient
from aescrm.testing.fixtures import ClinicWorld


def _patient(world: ClinicWorld) -> Patient:
    return world.make_patient(email="offers@example.com", consent={"email": True, "sms": True})


def _path(world: ClinicWorld, patient: Patient) -> str:
    return "/u/" + make_token(world.clinic.pk, patient.pk)


def _refreshed(world: ClinicWorld, patient: Patient) -> Patient:
    with clinic_scope(world.clinic.pk):
        return Patient.objects.get(pk=patient.pk)


def test_a_one_click_post_unsubscribes_without_signing_in(
    clinic_a: ClinicWorld, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://crm.example.org"
    patient = _patient(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        url = unsubscribe_url(clinic_a.clinic.pk, patient.pk)
    assert url.startswith("https://crm.example.org/u/")
    path = url.removeprefix("https://crm.example.org")
    # As a mail provider sends it: form-encoded, no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    patient = _refreshed(clinic_a, patient)
    assert (patient.consent_email, patient.consent_sms) == (False, True)
    with clinic_scope(clinic_a.clinic.pk):
        (event,) = ConsentEvent.objects.filter(patient=patient, granted=False)
    assert (event.channel, event.source) == ("email", "email unsubscribe")
    assert "one-click" in event.wording
    # Again: still fine, nothing more recorded.
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert ConsentEvent.objects.filter(patient=patient, granted=False).count() == 1


def test_opening_the_link_only_asks(clinic_a: ClinicWorld) -> None:
    patient = _patient(clinic_a)
    path = _path(clinic_a, patient)
    page = Client().get(path)
    assert page.status_code == 200
    assert "Unsubscribe from marketing emails" in page.content.decode()
    assert _refreshed(clinic_a, patient).consent_email is True
    # The page's button posts without a one-click body.
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    patient = _refreshed(clinic_a, patient)
    assert patient.consent_email is False
    with clinic_scope(clinic_a.clinic.pk):
        event = ConsentEvent.objects.get(patient=patient, granted=False)
    assert "unsubscribe page" in event.wording


def test_a_tampered_link_changes_nothing(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    patient = _patient(clinic_a)
    token = make_token(clinic_a.clinic.pk, patient.pk)
    forged = make_token(clinic_b.clinic.pk, patient.pk)  # a real signature, wrong clinic
    for path in ("/u/" + token[:-2] + "xx", "/u/not-a-token", "/u/" + forged):
        response = Client().post(path, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404, path
    assert _refreshed(clinic_a, patient).consent_email is True
