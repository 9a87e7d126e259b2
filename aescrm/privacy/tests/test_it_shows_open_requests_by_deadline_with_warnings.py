"""The Privacy page lists open requests soonest deadline first, amber "Due in N days" within a
week, red "Overdue by N days" past it; closed ones are on their own tab; the nav shows it to
those who may see the register."""

from __future__ import annotations

import re

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.privacy import services
from aescrm.privacy.tests.support import log_request, set_deadline
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _row(html: str, request_id: object) -> str:
    match = re.search(rf'<tr id="request-{request_id}">(.*?)</tr>', html, re.S)
    assert match, f"request {request_id} is not listed"
    return match.group(1)


def test_open_requests_soonest_first_with_warnings(clinic_a: ClinicWorld) -> None:
    relaxed = log_request(clinic_a, clinic_a.make_patient(first_name="Relaxed"))
    week = log_request(clinic_a, clinic_a.make_patient(first_name="Week"))
    soon = log_request(clinic_a, clinic_a.make_patient(first_name="Soon"))
    one_day = log_request(clinic_a, clinic_a.make_patient(first_name="Tomorrow"))
    due_today = log_request(clinic_a, clinic_a.make_patient(first_name="Today"))
    overdue = log_request(clinic_a, clinic_a.make_patient(first_name="Late"))
    closed = log_request(clinic_a, clinic_a.make_patient(first_name="Closed"))
    for request, days in [
        (relaxed, 8),
        (week, 7),
        (soon, 3),
        (one_day, 1),
        (due_today, 0),
        (overdue, -4),
        (closed, -10),
    ]:
        set_deadline(clinic_a, request, days)
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_withdraw(caller=clinic_a.caller(), request=closed)

    html = text(member_client(clinic_a, "manager").get("/privacy/"))

    order = [m for m in re.findall(r'<tr id="request-([0-9a-f-]+)">', html)]
    assert order == [str(r.pk) for r in (overdue, due_today, one_day, soon, week, relaxed)]
    assert 'class="due due-overdue">Overdue by 4 days<' in _row(html, overdue.pk)
    assert 'class="due due-soon">Due today<' in _row(html, due_today.pk)
    assert 'class="due due-soon">Due in 1 day<' in _row(html, one_day.pk)
    assert 'class="due due-soon">Due in 3 days<' in _row(html, soon.pk)
    assert 'class="due due-soon">Due in 7 days<' in _row(html, week.pk)
    assert "due-" not in _row(html, relaxed.pk)
    assert "Late Patient" in _row(html, overdue.pk)

    closed_html = text(member_client(clinic_a, "manager").get("/privacy/?show=closed"))
    assert re.findall(r'<tr id="request-([0-9a-f-]+)">', closed_html) == [str(closed.pk)]
    assert "Overdue" not in closed_html


def test_an_extended_request_counts_by_its_extended_date(clinic_a: ClinicWorld) -> None:
    extended = log_request(clinic_a, clinic_a.make_patient())
    plain = log_request(clinic_a, clinic_a.make_patient())
    set_deadline(clinic_a, plain, 20)
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_extend(
            caller=clinic_a.caller(),
            request=extended,
            months=1,
            reason="Complex",
            person_told_on=extended.received_on,
        )

    html = text(member_client(clinic_a, "owner").get("/privacy/"))

    order = re.findall(r'<tr id="request-([0-9a-f-]+)">', html)
    assert order == [str(plain.pk), str(extended.pk)]
    assert "extended" in _row(html, extended.pk)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("owner", True),
        ("manager", True),
        ("auditor", True),
        ("receptionist", False),
        ("clinician", False),
        ("marketer", False),
    ],
)
def test_the_nav_item_follows_privacy_view(clinic_a: ClinicWorld, role: str, sees: bool) -> None:
    html = text(member_client(clinic_a, role).get("/"))
    assert ('href="/privacy/"' in html) is sees


def test_auditors_see_the_register_without_names(clinic_a: ClinicWorld) -> None:
    request = log_request(
        clinic_a, clinic_a.make_patient(first_name="Hidden"), requester_details="Hidden Person"
    )
    listing = member_client(clinic_a, "auditor").get("/privacy/")
    detail = member_client(clinic_a, "auditor").get(f"/privacy/{request.pk}/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert str(request.pk) in text(listing)
    assert "Hidden" not in text(listing) and "Hidden" not in text(detail)
    assert "Log a request" not in text(listing) and "Complete the request" not in text(detail)
