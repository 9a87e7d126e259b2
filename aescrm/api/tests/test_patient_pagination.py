"""Cursor pagination walks every patient exactly once, newest first."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from aescrm.api.tests.helpers import assert_problem
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient

pytestmark = pytest.mark.django_db


def _walk(api: Any, **params: Any) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = api.get("/api/v1/patients", query)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([p["id"] for p in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20, "the cursor does not advance"


def test_the_cursor_walks_all_patients_without_duplicates(clinic_a: Any) -> None:
    """Seven patients in pages of three: 3 + 3 + 1, newest first, no repeats."""
    api = clinic_a.api()
    created = [
        api.post("/api/v1/patients", {"first_name": f"P{n}", "email": f"p{n}@example.com"}).json()[
            "id"
        ]
        for n in range(7)
    ]

    pages = _walk(api, limit=3)

    assert [len(page) for page in pages] == [3, 3, 1]
    assert [pid for page in pages for pid in page] == created[::-1]


def test_the_cursor_breaks_ties_on_creation_time_by_id(clinic_a: Any) -> None:
    """Patients created in the same microsecond are neither skipped nor repeated."""
    for n in range(5):
        clinic_a.make_patient(first_name=f"Tie{n}", email=f"tie{n}@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        Patient.objects.update(created_at=timezone.now())
        expected = [str(pk) for pk in Patient.objects.order_by("-id").values_list("pk", flat=True)]

    pages = _walk(clinic_a.api(), limit=2)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [pid for page in pages for pid in page] == expected


def test_the_cursor_pages_through_search_results(clinic_a: Any) -> None:
    """Search and cursor combine: every match once, nothing else."""
    for n in range(5):
        clinic_a.make_patient(first_name="Matchy", last_name=f"Mc{n}", email=f"m{n}@example.com")
        clinic_a.make_patient(first_name="Other", last_name=f"Person{n}", email=f"o{n}@example.com")

    pages = _walk(clinic_a.api(), limit=2, search="matchy")

    ids = [pid for page in pages for pid in page]
    with clinic_scope(clinic_a.clinic.pk):
        names = {str(p.pk): p.first_name for p in Patient.objects.all()}
    assert len(ids) == len(set(ids)) == 5
    assert {names[pid] for pid in ids} == {"Matchy"}


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "MjAyMC0wMS0wMXxub3QtYS11dWlk",
        "%%%",
        "MjAyMC0wMS0wMXwxMjM0NTY3OC0xMjM0LTEyMzQtMTIzNC0xMjM0NTY3ODkwMTI",
    ],
)
def test_a_cursor_the_api_did_not_issue_is_422_naming_cursor(clinic_a: Any, cursor: str) -> None:
    """Garbage, a bad id and a time without a zone are all refused, naming the cursor."""
    assert_problem(clinic_a.api().get("/api/v1/patients", {"cursor": cursor}), 422, "cursor")


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_a_limit_out_of_range_is_422_naming_limit(clinic_a: Any, limit: int) -> None:
    """Pages hold 1 to 100 patients."""
    assert_problem(clinic_a.api().get("/api/v1/patients", {"limit": limit}), 422, "limit")
