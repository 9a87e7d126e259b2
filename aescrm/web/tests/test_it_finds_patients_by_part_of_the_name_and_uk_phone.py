"""The patient list's search box finds people by part of a name and by a UK national number."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_with_patients(clinic_a: Any) -> Any:
    client = member_client(clinic_a, "receptionist")
    client.post(
        "/patients/new",
        {"first_name": "Zebedee", "last_name": "Quixotic", "phone": "+44 7700 900461"},
    )
    clinic_a.make_patient(first_name="Someone", last_name="Else", phone="07700 900462")
    return client


def _names(page: str) -> list[str]:
    return [
        part.split("</a>")[0].split(">")[-1]
        for part in page.split('<th scope="row" data-label="Name">')[1:]
    ]


@pytest.mark.parametrize("query", ["quix", "Zebedee Quix", "07700 900461", "07700900461", "900461"])
def test_it_finds_the_patient(client_with_patients: Any, query: str) -> None:
    response = client_with_patients.get("/patients/", {"q": query})

    page = text(response)
    assert response.status_code == 200
    assert _names(page) == ["Zebedee Quixotic"]
    assert "07700 900461" in page  # shown in UK national format


def test_it_lists_everyone_newest_first_without_a_query(client_with_patients: Any) -> None:
    page = text(client_with_patients.get("/patients/"))

    assert _names(page) == ["Someone Else", "Zebedee Quixotic"]


def test_it_audits_the_search_with_the_patients_shown(
    clinic_a: Any, client_with_patients: Any
) -> None:
    client_with_patients.get("/patients/", {"q": "quix"})

    with clinic_scope(clinic_a.clinic.pk):
        zeb = next(p for p in Patient.objects.all() if p.first_name == "Zebedee")
        search = AuditEntry.objects.filter(action="patient.search").get()
    assert search.detail == {"shown": [str(zeb.pk)]}
    assert search.actor_label == "receptionist@alpha.test"


def test_it_explains_a_query_too_short_to_search(client_with_patients: Any) -> None:
    response = client_with_patients.get("/patients/", {"q": "?!"})

    assert response.status_code == 400
    assert "Search needs at least 2 letters or 3 digits" in text(response)


def test_it_pages_with_a_next_page_link(clinic_a: Any) -> None:
    for i in range(27):
        clinic_a.make_patient(first_name=f"Person{i:02d}", last_name="Paged")
    client = member_client(clinic_a, "receptionist")

    first = text(client.get("/patients/"))
    next_url = (
        first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    second = text(client.get(next_url))

    assert len(_names(first)) == 25
    assert _names(second) == ["Person01 Paged", "Person00 Paged"]
    assert 'rel="next"' not in second
