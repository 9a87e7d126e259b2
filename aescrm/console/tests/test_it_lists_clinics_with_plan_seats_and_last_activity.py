"""The clinics list: name, created, plan, status, trial end, seats used of the plan's
limit and last activity, searchable by name or slug."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.console.tests.support import raw, staff_client, subscribe
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def test_clinics_list_and_search(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    subscribe(
        clinic_a.clinic,
        "trialing",
        plan="starter",
        trial_ends_at=dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC),
    )
    raw(clinic_a.clinic, "chat_started", dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    staff = staff_client()

    page = text(staff.get("/platform/clinics/"))
    row_a = page[page.index(f'id="clinic-{clinic_a.clinic.pk}"') :].split("</tr>")[0]
    row_b = page[page.index(f'id="clinic-{clinic_b.clinic.pk}"') :].split("</tr>")[0]

    assert f'href="/platform/clinics/{clinic_a.clinic.pk}/">Alpha Dental</a>' in row_a
    for cell in (
        '<td data-label="Plan">Starter</td>',
        '<td data-label="Status">Free trial</td>',
        '<td data-label="Trial ends">3 Dec 2026</td>',
        '<td data-label="Seats">6 of 3</td>',
        '<td data-label="Last activity">20 Nov 2026</td>',
    ):
        assert cell in row_a, cell
    for cell in (
        '<td data-label="Plan">—</td>',
        '<td data-label="Status">Not billed through Stripe</td>',
        '<td data-label="Seats">6</td>',
        '<td data-label="Last activity">None</td>',
    ):
        assert cell in row_b, cell

    found = text(staff.get("/platform/clinics/", {"q": "BRAV"}))
    assert "Bravo Aesthetics" in found and "Alpha Dental" not in found
    assert "No clinic matches “zulu”." in text(staff.get("/platform/clinics/", {"q": "zulu"}))
