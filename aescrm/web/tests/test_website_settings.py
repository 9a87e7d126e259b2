"""The Website page: the widget snippet with the clinic's own key, and its domains."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aescrm.accounts.models import Clinic
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client


def _owner(world: Any) -> Client:
    return member_client(world, "owner")


def test_the_owner_sees_their_own_key_and_no_other_clinics(clinic_a: Any, clinic_b: Any) -> None:
    page = _owner(clinic_a).get("/settings/website")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-clinic="{clinic_a.clinic.public_key}"' in html
    assert clinic_b.clinic.public_key not in html


def test_saving_cleans_domains_and_records_it(clinic_a: Any, clinic_b: Any) -> None:
    response = _owner(clinic_a).post(
        "/settings/website",
        {
            "website_domains": "https://www.Alpha-Dental.co.uk/contact\nalpha-dental.co.uk\n\n",
            "thank_you_url": "https://www.alpha-dental.co.uk/thank-you",
        },
    )

    assert response.status_code == 302
    clinic = Clinic.objects.get(pk=clinic_a.clinic.pk)
    assert clinic.website_domains == ["www.alpha-dental.co.uk", "alpha-dental.co.uk"]
    assert clinic.thank_you_url == "https://www.alpha-dental.co.uk/thank-you"
    assert Clinic.objects.get(pk=clinic_b.clinic.pk).website_domains == ["bravo.example"]
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="clinic.website_update").exists()


def test_bad_addresses_are_refused_naming_them_and_nothing_changes(clinic_a: Any) -> None:
    client = _owner(clinic_a)
    for data, shown in (
        ({"website_domains": "not a website", "thank_you_url": ""}, "not a website"),
        (
            {"website_domains": "alpha.example", "thank_you_url": "http://alpha.example/thanks"},
            "https://",
        ),
    ):
        response = client.post("/settings/website", data)
        assert response.status_code == 400
        assert shown in response.content.decode()
    assert Clinic.objects.get(pk=clinic_a.clinic.pk).website_domains == ["alpha.example"]


def test_only_owners_may_open_it(clinic_a: Any) -> None:
    assert member_client(clinic_a, "manager").get("/settings/website").status_code == 403
    assert member_client(clinic_a, "receptionist").get("/settings/website").status_code == 403
