"""Day view: a column per practitioner; week view: a column per day; times in clinic time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Practitioner
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db


def _row(page: str, hour: str) -> str:
    return page.split(f'<th scope="row" class="hour-col">{hour}</th>')[1].split("</tr>")[0]


@pytest.fixture
def dr_other(clinic_a: Any) -> Practitioner:
    with clinic_scope(clinic_a.clinic.pk):
        return Practitioner.objects.create(display_name="Dr Other", profession="Dentist")


def test_the_day_view_has_a_column_per_practitioner(clinic_a: Any, dr_other: Any) -> None:
    zeb = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    amy = clinic_a.make_patient(first_name="Amy", last_name="Other")
    book(clinic_a, zeb, dt.datetime.combine(SUMMER_DAY, dt.time(14, 30)))
    with clinic_scope(clinic_a.clinic.pk):
        services.appointment_book(
            caller=clinic_a.caller(),
            patient=amy,
            treatment=clinic_a.treatment,
            practitioner=dr_other,
            starts_at=dt.datetime(2026, 7, 1, 14, 0, tzinfo=clinic_a.clinic.tz),
            override=True,
            override_reason="Entering a past visit",
        )

    page = text(member_client(clinic_a, "receptionist").get("/calendar/?date=2026-07-01"))

    assert '<h1>Calendar <span class="subtitle">Wednesday 1 July 2026</span></h1>' in page
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Dr Other") < header.index("Dr Test")
    cells = _row(page, "14:00").split("<td ")[1:]
    assert "Amy Other" in cells[0] and "Zebedee" not in cells[0]
    assert "Zebedee Quixotic" in cells[1] and "14:30</time>–<time" in cells[1]
    assert "Times are clinic time (Europe/London). 2 appointments in this day." in page


def test_the_practitioner_filter_keeps_one_column(clinic_a: Any, dr_other: Any) -> None:
    page = text(
        member_client(clinic_a, "receptionist").get(
            f"/calendar/?date=2026-07-01&practitioner={dr_other.pk}"
        )
    )

    header = page.split("<thead>")[1].split("</thead>")[0]
    assert '<th scope="col">Dr Other</th>' in header
    assert "Dr Test" not in header


def test_the_week_view_runs_monday_to_sunday(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    book(clinic_a, patient, dt.datetime(2026, 7, 5, 9, 0))  # Sunday

    page = text(member_client(clinic_a, "receptionist").get("/calendar/?date=2026-07-01&view=week"))

    header = page.split("<thead>")[1].split("</thead>")[0]
    days = [c.split("</th>")[0].split(">")[-1] for c in header.split('<th scope="col"')[2:]]
    assert days == [
        "Mon 29 Jun", "Tue 30 Jun", "Wed 1 Jul", "Thu 2 Jul", "Fri 3 Jul", "Sat 4 Jul", "Sun 5 Jul"
    ]  # fmt: skip
    cells = _row(page, "09:00").split("<td ")[1:]
    assert "Zebedee Quixotic" in cells[6]
    assert "Week of 29 June 2026" in page
    assert 'href="/calendar/?date=2026-07-06&amp;view=week" rel="next"' in page


def test_winter_times_show_in_gmt(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    appointment = book(clinic_a, patient, dt.datetime(2026, 12, 1, 9, 0))

    page = text(member_client(clinic_a, "receptionist").get("/calendar/?date=2026-12-01"))

    assert appointment.starts_at.astimezone(dt.UTC).hour == 9
    assert "Zebedee Quixotic" in _row(page, "09:00")


def test_a_clinician_sees_only_their_own_column_and_patients(clinic_a: Any, dr_other: Any) -> None:
    mine = clinic_a.make_patient(first_name="Mine", last_name="Patient")
    theirs = clinic_a.make_patient(first_name="Theirs", last_name="Patient")
    book(clinic_a, mine, dt.datetime.combine(SUMMER_DAY, dt.time(9)))
    with clinic_scope(clinic_a.clinic.pk):
        services.appointment_book(
            caller=clinic_a.caller(),
            patient=theirs,
            treatment=clinic_a.treatment,
            practitioner=dr_other,
            starts_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=clinic_a.clinic.tz),
            override=True,
            override_reason="Entering a past visit",
        )

    page = text(member_client(clinic_a, "clinician").get("/calendar/?date=2026-07-01"))

    assert "Mine Patient" in page
    assert "Theirs Patient" not in page
    assert "Dr Other" not in page


def test_a_bad_date_falls_back_to_today_and_says_so(clinic_a: Any) -> None:
    page = text(member_client(clinic_a, "receptionist").get("/calendar/?date=31-02-2026"))

    assert "“31-02-2026” is not a date like 2026-05-01; showing today." in page
