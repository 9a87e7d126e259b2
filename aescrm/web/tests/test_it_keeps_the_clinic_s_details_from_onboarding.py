"""Onboarding step 1: the owner names the clinic, picks its time zone and website addresses."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import Clinic
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client

DETAILS = {
    "name": "Alpha Dental & Skin",
    "timezone": "Europe/Jersey",
    "website_domains": "HTTPS://www.Alpha-Dental.co.uk/book?x=1\nalpha-dental.co.uk\n",
}


def test_the_owner_saves_the_details_cleaned_and_audited(clinic_a: Any, clinic_b: Any) -> None:
    client = member_client(clinic_a, "owner")
    page = client.get("/onboarding")
    assert page.status_code == 200
    assert '<option value="Europe/London" selected>' in page.content.decode()

    response = client.post("/onboarding", DETAILS)

    assert response.status_code == 302 and response["Location"] == "/onboarding"
    clinic = Clinic.objects.get(pk=clinic_a.clinic.pk)
    assert clinic.name == "Alpha Dental & Skin"
    assert clinic.timezone == "Europe/Jersey"
    assert clinic.website_domains == ["www.alpha-dental.co.uk", "alpha-dental.co.uk"]
    with clinic_scope(clinic.pk):
        [entry] = AuditEntry.objects.filter(action="clinic.details_update")
        assert entry.detail == {"fields": ["name", "timezone", "website_domains"]}
    other = Clinic.objects.get(pk=clinic_b.clinic.pk)
    assert (other.name, other.timezone, other.website_domains) == (
        "Bravo Aesthetics",
        "Europe/London",
        ["bravo.example"],
    )


@pytest.mark.parametrize(
    ("change", "field_id", "shown"),
    [
        (
            {"website_domains": "www.alpha.co.uk\nnot a website"},
            "id_website_domains",
            "“not a website” is not a website address",
        ),
        ({"timezone": "Europe/Narnia"}, "id_timezone", "“Europe/Narnia” is not a time zone"),
        ({"name": "  "}, "id_name", "Enter the clinic"),
    ],
)
def test_bad_details_are_refused_naming_the_problem(
    clinic_a: Any, change: dict[str, str], field_id: str, shown: str
) -> None:
    response = member_client(clinic_a, "owner").post("/onboarding", {**DETAILS, **change})

    assert response.status_code == 400
    html = response.content.decode()
    error = html.split(f'id="{field_id}_error">', 1)[1].split("</p>", 1)[0]
    assert shown in error
    clinic = Clinic.objects.get(pk=clinic_a.clinic.pk)
    assert (clinic.name, clinic.timezone, clinic.website_domains) == (
        "Alpha Dental",
        "Europe/London",
        ["alpha.example"],
    )


def test_a_manager_sees_the_checklist_but_cannot_change_the_details(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")
    page = client.get("/onboarding")
    assert page.status_code == 200
    assert "Only the clinic’s owner can change these." in page.content.decode()

    assert client.post("/onboarding", DETAILS).status_code == 403
    assert Clinic.objects.get(pk=clinic_a.clinic.pk).name == "Alpha Dental"


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_cannot_open_or_change_it(clinic_a: Any, role: str) -> None:
    client = member_client(clinic_a, role)
    assert client.get("/onboarding").status_code == 403
    assert client.post("/onboarding", DETAILS).status_code == 403
    assert Clinic.objects.get(pk=clinic_a.clinic.pk).name == "Alpha Dental"


def test_another_clinic_s_owner_sees_and_changes_only_their_own(
    clinic_a: Any, clinic_b: Any
) -> None:
    client = member_client(clinic_b, "owner")
    html = client.get("/onboarding").content.decode()
    assert "Bravo Aesthetics" in html and "Alpha Dental" not in html
    assert clinic_a.clinic.public_key not in html

    client.post("/onboarding", DETAILS)

    assert Clinic.objects.get(pk=clinic_b.clinic.pk).name == "Alpha Dental & Skin"
    clinic = Clinic.objects.get(pk=clinic_a.clinic.pk)
    assert (clinic.name, clinic.website_domains) == ("Alpha Dental", ["alpha.example"])
    # The clinic comes from the signed-in membership: a clinic id in the form is ignored.
    client.post("/onboarding", {**DETAILS, "clinic": str(clinic_a.clinic.pk), "name": "Hijack"})
    assert Clinic.objects.get(pk=clinic_a.clinic.pk).name == "Alpha Dental"
