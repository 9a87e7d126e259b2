"""The widget's beacon: the first page of the clinic's own site that loads it is noted once."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aescrm.accounts.models import Clinic
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.public.views import WIDGET_PATH


def _seen(clinic: Clinic, **headers: Any) -> Any:
    return Client().post(f"/public/v1/{clinic.public_key}/seen", **headers)


def _first_seen(clinic: Clinic) -> Any:
    return Clinic.objects.get(pk=clinic.pk).widget_first_seen_at


def test_the_first_visit_from_the_clinic_s_site_is_noted_once(clinic_a: Any) -> None:
    clinic = clinic_a.clinic
    response = _seen(clinic, HTTP_ORIGIN="https://www.alpha.example")
    assert response.status_code == 204
    first = _first_seen(clinic)
    assert first is not None

    assert _seen(clinic, HTTP_ORIGIN="https://alpha.example").status_code == 204
    assert _first_seen(clinic) == first
    with clinic_scope(clinic.pk):
        assert AuditEntry.objects.filter(action="clinic.widget_first_seen").count() == 1


def test_a_page_elsewhere_is_not_a_visit(clinic_a: Any) -> None:
    for headers in (
        {"HTTP_ORIGIN": "https://copycat.example"},
        {"HTTP_ORIGIN": "http://alpha.example"},  # a clinic's site is https
        {"HTTP_ORIGIN": "null"},
        {},
    ):
        # The page is told nothing either way.
        assert _seen(clinic_a.clinic, **headers).status_code == 204
    assert _first_seen(clinic_a.clinic) is None


def test_a_browser_that_sends_only_a_referer_counts(clinic_a: Any) -> None:
    _seen(clinic_a.clinic, HTTP_REFERER="https://alpha.example/treatments/whitening?x=1")
    assert _first_seen(clinic_a.clinic) is not None


def test_another_clinic_s_site_cannot_tick_it(clinic_a: Any, clinic_b: Any) -> None:
    _seen(clinic_a.clinic, HTTP_ORIGIN="https://bravo.example")
    _seen(clinic_b.clinic, HTTP_ORIGIN="https://bravo.example")
    assert _first_seen(clinic_a.clinic) is None
    assert _first_seen(clinic_b.clinic) is not None


def test_unknown_keys_and_other_methods_are_refused(db: Any) -> None:
    assert Client().post("/public/v1/pk_nobody/seen").status_code == 404
    assert Client().get("/public/v1/pk_nobody/seen").status_code == 405


def test_the_widget_sends_the_beacon_without_cookies() -> None:
    source = WIDGET_PATH.read_text()
    call = source[source.index('chatBase + "/seen"') :].split(")", 1)[0]
    assert 'method: "POST"' in call and 'credentials: "omit"' in call
